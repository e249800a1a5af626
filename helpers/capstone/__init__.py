"""Chapter 11, the capstone: one model's whole life in production, on the helpers of every chapter.

`biopsy` (the model's recipe, and a hash of what it learned), `scanner` (a drift Chapter 5's
stream cannot make: a recalibrated scanner that changes every size measurement at once),
`contract` and `contract_suite` (the model's behavioural contract, a pytest file that
Chapter 8's gate runs on the cases it is given), `release` (compress to int8, run the contract on
what will be served, register: Chapters 2, 8 and 9 in one step), `production` (live traffic day
by day through Chapter 3's service, late labels and Chapter 5's monitoring), `rollout` (a hot
swap under traffic, and the canary check that keeps a version or rolls it back), `timeline`
(the life log every step writes to, printed as one screen).
"""

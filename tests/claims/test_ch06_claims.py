"""Chapter 6 value checks, with tolerances: a smaller run than the notebook's, same helpers."""

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helpers.active import loop, savings


def test_ch06_margin_sampling_needs_fewer_digit_labels_than_random():
    x, y = load_digits(return_X_y=True)
    x_pool, x_test, y_pool, y_test = train_test_split(x / 16, y, test_size=0.3, random_state=0,
                                                      stratify=y)

    def make_model():
        return LogisticRegression(max_iter=200, tol=1e-3)

    curves = loop.learning_curves(["random", "margin"], [0, 1, 2], make_model,
                                  (x_pool, y_pool), (x_test, y_test), 10, 10, 25)
    full = make_model().fit(x_pool, y_pool).score(x_test, y_test)
    table = savings.savings_vs_random(savings.labels_to_reach(curves, 0.95 * full))
    saving = table.loc["margin", "saving_mean"]
    assert saving >= 0.2, f"margin saved {saving:.0%} of the labels random needed"

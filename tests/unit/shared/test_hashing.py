import numpy as np
import torch

from helpers import hashing


def test_file_hash_matches_known_digest(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc")
    assert hashing.sha256_file(path) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_array_hash_sees_dtype_shape_and_one_bit():
    base = np.arange(6, dtype=np.float64)
    digest = hashing.sha256_array(base)
    assert digest == hashing.sha256_array(base.copy())
    assert digest != hashing.sha256_array(base.astype(np.float32))
    assert digest != hashing.sha256_array(base.reshape(2, 3))
    flipped = base.copy()
    flipped.view(np.uint64)[0] ^= 1
    assert digest != hashing.sha256_array(flipped)


def test_state_dict_hash_equal_for_equal_weights_and_accepts_a_module():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    copy = torch.nn.Linear(3, 2)
    copy.load_state_dict(model.state_dict())
    assert hashing.sha256_state_dict(model) == hashing.sha256_state_dict(copy.state_dict())
    with torch.no_grad():
        copy.bias[0] += 1e-6
    assert hashing.sha256_state_dict(model) != hashing.sha256_state_dict(copy)

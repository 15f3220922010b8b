"""PyTorch twin of the trainer's OpTimings: the same forward ops at the same shapes, main-thread CPU µs per
call, best of 5 rounds. Usage: python torch_ops.py threads=1"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def timed(calls, op):
    best = float("inf")
    for rnd in range(6):
        t0 = time.thread_time()
        for _ in range(calls):
            op()
        us = (time.thread_time() - t0) * 1e6 / calls
        if rnd > 0:
            best = min(best, us)
    return best


def main(argv):
    a = dict(s.split("=", 1) for s in argv)
    torch.set_num_threads(int(a.get("threads", 1)))
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    x = torch.randn(128, 16, 28, 28)
    w3, wd, wp = torch.randn(16, 16, 3, 3) * 0.1, torch.randn(16, 1, 3, 3) * 0.3, torch.randn(16, 16, 1, 1) * 0.25
    mean, var, gamma, beta, tiny = torch.zeros(16), torch.ones(16), torch.ones(16), torch.zeros(16), torch.ones(16)
    out = {"impl": "pytorch", "threads": torch.get_num_threads(), "libtorch": next(
        (l.split()[-1] for l in open("/proc/self/maps") if l.rstrip().endswith("libtorch_cpu.so")), "?")}
    with torch.inference_mode():
        out["tiny add (16 floats)"] = timed(50_000, lambda: tiny + tiny)
        out["relu"] = timed(300, lambda: F.relu(x))
        out["batchnorm (inference)"] = timed(300, lambda: F.batch_norm(x, mean, var, gamma, beta, False, 0.1, 1e-5))
        out["conv3x3 16->16"] = timed(50, lambda: F.conv2d(x, w3, None, 1, 1))
        out["depthwise 3x3"] = timed(100, lambda: F.conv2d(x, wd, None, 1, 1, 1, 16))
        out["pointwise 1x1"] = timed(100, lambda: F.conv2d(x, wp))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])

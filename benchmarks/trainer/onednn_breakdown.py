"""Time inside oneDNN per primitive, from ONEDNN_VERBOSE=1 logs of the op timings (benchmarks/README.md,
section 5): splits a convolution into its kernel and the layout reorders around it, so that the kernels
of two processes can be compared apart from the memory-bound copies.

    ONEDNN_VERBOSE=1 python torch_ops.py threads=1 > py.log
    ONEDNN_VERBOSE=1 java ... TrainerBenchmark ops=1 threads=1 > ours.log
    python onednn_breakdown.py py.log ours.log
"""
import collections
import statistics
import sys


def layout(md, which):
    """'src:f32::blocked:abcd::f0 dst:...' -> the layout tag of src or dst."""
    for part in md.split():
        if part.startswith(which + ":"):
            return part.split(":")[-3]
    return ""


def primitives(lines):
    """(kind, implementation, layouts, shape) -> exec times in µs."""
    out = collections.defaultdict(list)
    for line in lines:
        if not line.startswith("onednn_verbose,v1,primitive,exec,"):
            continue
        f = line.rstrip("\n").split(",")
        kind, impl, md, shape, ms = f[5], f[6], f[8], f[11], float(f[12])
        layouts = f"{layout(md, 'src')}>{layout(md, 'dst')}" if kind == "reorder" else ""
        out[(kind, impl, layouts, shape)].append(ms * 1000)
    return out


def main(paths):
    for path in paths:
        with open(path) as f:
            prims = primitives(f)
        print(f"== {path}")
        for key, us in sorted(prims.items(), key=lambda kv: -sum(kv[1])):
            if sum(us) >= 5000:  # skip the weight reorders and other primitives under 5 ms in all
                print(f"{len(us):6d} calls  min {min(us):8.1f}  median {statistics.median(us):8.1f} µs  "
                      + " ".join(k for k in key if k))


if __name__ == "__main__":
    main(sys.argv[1:])

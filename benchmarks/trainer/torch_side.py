"""PyTorch twin of the trainer's OneConfiguration benchmark: the built-in cell network written in plain
PyTorch eager mode, trained with torch.optim.Adam on the same Fashion-MNIST images, printing the same JSON.

Usage: python torch_side.py genome=conv3x3,... threads=1 [width= batch= warmup= batches= evalImages= lr=
       initIn=FILE.safetensors]   (initIn: start from the weights our trainer exported, else PyTorch's init)
"""
import time

T_START_MS = int(time.time() * 1000)  # before importing torch: import time counts as start-up

import gzip
import json
import resource
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530  # the trainer's FashionMnist.MEAN/STD
CLASSES = 10


class ConvBnRelu(nn.Module):
    def __init__(self, cin, cout, kernel, stride=1, dilation=1):
        super().__init__()
        pad = dilation * (kernel - 1) // 2
        self.conv = nn.Conv2d(cin, cout, kernel, stride, pad, dilation, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class SepConvBnRelu(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.depthwise = nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)
        self.pointwise = nn.Conv2d(c, c, 1, bias=False)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(self.bn(self.pointwise(self.depthwise(x))))


class PoolConvBnRelu(ConvBnRelu):
    def __init__(self, c):
        super().__init__(c, c, 1)

    def forward(self, x):
        return super().forward(F.max_pool2d(x, 3, 1, 1))


class Head(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.fc = nn.Linear(cin, CLASSES)

    def forward(self, x):
        return self.fc(x.flatten(2).mean(2))


def op_module(op, c):
    return {
        "conv3x3": lambda: ConvBnRelu(c, c, 3),
        "conv5x5": lambda: ConvBnRelu(c, c, 5),
        "dilconv3x3": lambda: ConvBnRelu(c, c, 3, 1, 2),
        "sepconv3x3": lambda: SepConvBnRelu(c),
        "maxpool": lambda: PoolConvBnRelu(c),
        "skip": lambda: nn.Identity(),
    }[op]()


class Wrap(nn.Module):
    """Holds one position's op under the attribute named after it, so tensor names are cellI.<op>.*"""

    def __init__(self, op, module):
        super().__init__()
        self.add_module(op, module)
        self.inner = [module]

    def forward(self, x):
        return self.inner[0](x)


class CellNetwork(nn.Module):
    """NetworkPlan: stem, one position per gene in up to 3 stages (w, 2w, 4w; stride-2 reductions), head."""

    def __init__(self, ops, width):
        super().__init__()
        positions, stages = len(ops), min(3, len(ops))
        self.stem = ConvBnRelu(1, width, 3)
        self.order = ["stem"]
        stage, c = 0, width
        for i, op in enumerate(ops):
            s = i * stages // positions
            if s != stage:
                stage = s
                self.add_module(f"reduce{s}", ConvBnRelu(c, 2 * c, 3, 2))
                self.order.append(f"reduce{s}")
                c *= 2
            self.add_module(f"cell{i}", Wrap(op, op_module(op, c)))
            self.order.append(f"cell{i}")
        self.head = Head(c)
        self.order.append("head")

    def forward(self, x):
        for name in self.order:
            x = getattr(self, name)(x)
        return x


def read_idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(d, base):
    for name in (base + ".gz", base):
        if os.path.isfile(os.path.join(d, name)):
            return os.path.join(d, name)
    sys.exit(f"Fashion-MNIST file {base} not found in {d}")


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_minflt, time.thread_time()


def main(argv):
    a = dict(s.split("=", 1) for s in argv)
    ops = a["genome"].split(",")
    width = int(a.get("width", 16))
    batch = int(a.get("batch", 128))
    warmup = int(a.get("warmup", 3))
    batches = int(a.get("batches", 20))
    threads = int(a.get("threads", 1))
    eval_images = int(a.get("evalImages", 2560))
    lr = float(a.get("lr", 0.001))

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)  # as the trainer (EngineSetup)
    d = os.environ.get("PBTNAS_DATA_DIR", "/usr/share/datasets/fashion-mnist")
    n = max(batch * (warmup + batches), eval_images)
    # The whole file is read and normalised as the trainer does (it also reads all 60,000 images).
    pixels = read_idx(find(d, "train-images-idx3-ubyte"))
    labels = read_idx(find(d, "train-labels-idx1-ubyte"))
    images = torch.from_numpy(((pixels[:n].astype(np.float32) / np.float32(255) - np.float32(MEAN))
                               / np.float32(STD))).unsqueeze(1).contiguous()
    targets = torch.from_numpy(labels[:n].astype(np.int64))

    model = CellNetwork(ops, width)
    if "initIn" in a:
        from safetensors.torch import load_file
        missing, unexpected = model.load_state_dict(load_file(a["initIn"]), strict=False)
        missing = [k for k in missing if not k.endswith("num_batches_tracked")]
        if missing or unexpected:
            sys.exit(f"initial weights do not match the network: missing {missing}, unexpected {unexpected}")
    out = {"impl": "pytorch", "threads": torch.get_num_threads(), "pythonStartMs": T_START_MS,
           "torch": torch.__version__,
           "parameters": sum(p.numel() for p in model.parameters() if p.requires_grad)}
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    model.train()
    losses, rss, ends = [], [], [time.perf_counter()]
    for b in range(warmup + batches):
        x = images[b * batch:(b + 1) * batch]
        y = targets[b * batch:(b + 1) * batch]
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        value = loss.item()
        _ = (logits.argmax(1) == y).sum().item()  # the trainer counts correct answers per batch too
        opt.step()
        ends.append(time.perf_counter())
        if b == warmup - 1:
            u0 = usage()
        if b == 0:
            out["firstBatchEndMs"] = int(time.time() * 1000)
        losses.append(value)
        rss.append(status("VmRSS:"))
    out["trainImgPerS"] = batches * batch / (ends[warmup + batches] - ends[warmup])
    u1 = usage()
    out["trainCpuMsPerImage"] = (u1[0] - u0[0]) * 1000 / (batches * batch)
    out["trainMinorFaultsPerImage"] = (u1[1] - u0[1]) / (batches * batch)
    out["trainMainThreadCpuMsPerImage"] = (u1[2] - u0[2]) * 1000 / (batches * batch)
    out["peakRssTrainMiB"] = status("VmHWM:")
    out["losses"] = losses
    out["rssMiB"] = rss

    def evaluate(count):
        model.eval()
        correct, loss_sum = 0, 0.0
        with torch.inference_mode():
            for s in range(0, count, batch):
                x, y = images[s:min(count, s + batch)], targets[s:min(count, s + batch)]
                logits = model(x)
                loss_sum += F.cross_entropy(logits, y).item() * len(y)
                correct += (logits.argmax(1) == y).sum().item()
        return correct / count, loss_sum / count

    evaluate(2 * batch)
    u0 = usage()
    t0 = time.perf_counter()
    acc, ev_loss = evaluate(eval_images)
    out["evalImgPerS"] = eval_images / (time.perf_counter() - t0)
    u1 = usage()
    out["evalCpuMsPerImage"] = (u1[0] - u0[0]) * 1000 / eval_images
    out["evalMinorFaultsPerImage"] = (u1[1] - u0[1]) / eval_images
    out["evalMainThreadCpuMsPerImage"] = (u1[2] - u0[2]) * 1000 / eval_images
    out["evalLoss"] = ev_loss
    out["evalAccuracy"] = acc
    out["peakRssMiB"] = status("VmHWM:")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])

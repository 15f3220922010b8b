#!/usr/bin/env python3
"""A bring-your-own pbtnas trainer in PyTorch, honouring the trainer contract.

What it does: builds a small CNN for a genome (one layer per gene, chosen from
conv3x3 / conv5x5 / maxpool / skip), loads the member's checkpoint (if any),
trains epochs [PBTNAS_EPOCH_FROM, PBTNAS_EPOCH_TO) on Fashion-MNIST, scores
the validation accuracy, and writes model.safetensors + metrics.json + the
termination message.
What it needs: Python 3 with torch, safetensors and numpy; the Fashion-MNIST
IDX files (the image installs Debian's dataset-fashion-mnist).
How long it takes: 20-30 s per member step of one epoch on 5,000 images on one
CPU core (measured; about half is starting Python and torch), 1.3 GB peak memory.

The contract (see trainer-image/README.md):
  in:  PBTNAS_SEARCH_SPACE, PBTNAS_GENOME, PBTNAS_INPUT (unset at the start),
       PBTNAS_OUTPUT_DIR, PBTNAS_EPOCH_FROM, PBTNAS_EPOCH_TO, PBTNAS_SEED,
       PBTNAS_TASK, PBTNAS_TASK_ARGS, PBTNAS_TERMINATION_LOG
  out: $PBTNAS_OUTPUT_DIR/model.safetensors with metadata pbtnas.genome,
       pbtnas.epoch and pbtnas.init; metrics.json {"score", "epoch", ...};
       the same JSON to PBTNAS_TERMINATION_LOG (default /dev/termination-log).
  exit: 0 when everything is written, 2 for bad input, 1 for a training failure.
A gene owns every tensor whose name starts with its prefix, so the operator's
shrink-perturb mixing can swap layers between members without this code.
Optimizer state of parameter p is stored as optimizer/<slot>/<p>.
"""
import gzip
import json
import math
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

OPS = ("conv3x3", "conv5x5", "maxpool", "skip")
TASK_ARGS = {"batchSize": 128, "learningRate": 0.001, "width": 16, "dataDir": "/usr/share/datasets/fashion-mnist",
             "trainSubset": 0, "validationSubset": 0, "threads": 0}
VALIDATION_SIZE = 10_000  # the last 10,000 training images, the same for every member


class BadInput(Exception):
    """Exit code 2: the caller's fault, with a message saying what to fix."""


def env_json(name, default=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is not None:
            return default
        raise BadInput(f"{name} is not set; the operator sets it (see the trainer contract)")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise BadInput(f"{name}: invalid JSON ({e}): {raw[:200]}")


def env_int(name):
    raw = os.environ.get(name)
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise BadInput(f"{name}: expected an integer, got {raw!r}")


def read_inputs():
    space = env_json("PBTNAS_SEARCH_SPACE")
    genome = env_json("PBTNAS_GENOME")
    genes = space.get("genes") if isinstance(space, dict) else None
    if not isinstance(genes, list) or not genes:
        raise BadInput('PBTNAS_SEARCH_SPACE: expected {"genes":[{"name","prefix","options"}, ...]}')
    for i, g in enumerate(genes):
        g.setdefault("prefix", g["name"] + ".")
        # This model nests one module per gene, so a prefix is one dot-free word and a dot.
        word = g["prefix"][:-1]
        if not g["prefix"].endswith(".") or not word or "." in word or word in ("stem", "head", "optimizer"):
            raise BadInput(f"searchSpace.genes[{i}].prefix: {g['prefix']!r} must be a single word and a dot, "
                           "other than stem., head. and optimizer., e.g. 'cell0.'")
        bad = [o for o in g.get("options", []) if o not in OPS]
        if bad:
            raise BadInput(f"searchSpace.genes[{i}].options: {bad} unknown to this trainer; use {list(OPS)}")
        if genome.get(g["name"]) not in g["options"]:
            raise BadInput(f"PBTNAS_GENOME.{g['name']}: {genome.get(g['name'])!r} is not one of {g['options']}")
    task = os.environ.get("PBTNAS_TASK", "fashion-mnist")
    if task != "fashion-mnist":
        raise BadInput(f"PBTNAS_TASK: this trainer knows only fashion-mnist, got {task!r}")
    args = dict(TASK_ARGS)
    given = env_json("PBTNAS_TASK_ARGS", {})
    unknown = sorted(set(given) - set(TASK_ARGS))
    if unknown:
        raise BadInput(f"PBTNAS_TASK_ARGS: unknown {unknown}; known: {sorted(TASK_ARGS)}")
    args.update(given)
    epoch_from, epoch_to = env_int("PBTNAS_EPOCH_FROM"), env_int("PBTNAS_EPOCH_TO")
    if not 0 <= epoch_from < epoch_to:
        raise BadInput(f"PBTNAS_EPOCH_FROM={epoch_from}, PBTNAS_EPOCH_TO={epoch_to}: need 0 <= from < to")
    out = os.environ.get("PBTNAS_OUTPUT_DIR") or ""
    if not out:
        raise BadInput("PBTNAS_OUTPUT_DIR is not set")
    return genes, genome, args, epoch_from, epoch_to, out


class Net(nn.Module):
    """stem -> one residual layer per gene -> 4x4-pooled linear head. Tensor names start with the gene's prefix."""

    def __init__(self, genes, genome, width):
        super().__init__()
        self.stem = nn.Conv2d(1, width, 3, padding=1)
        self.cells = nn.ModuleDict()
        self.order = []
        for g in genes:
            op = genome[g["name"]]
            self.order.append((g["prefix"].rstrip("."), op))
            block = nn.ModuleDict()
            if op in ("conv3x3", "conv5x5"):
                k = 3 if op == "conv3x3" else 5
                block["conv"] = nn.Conv2d(width, width, k, padding=k // 2, bias=False)
                block["bn"] = nn.BatchNorm2d(width)
            elif op == "maxpool":
                block["proj"] = nn.Conv2d(width, width, 1, bias=False)
                block["bn"] = nn.BatchNorm2d(width)
            self.cells[g["prefix"].rstrip(".")] = nn.ModuleDict({op: block})
        self.head = nn.Linear(width * 16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stem(x)), 2)  # 28x28 -> 14x14
        for name, op in self.order:
            block = self.cells[name][op]
            if op == "skip":
                continue
            y = F.max_pool2d(x, 3, 1, 1) if op == "maxpool" else x
            y = block["proj"](y) if op == "maxpool" else block["conv"](y)
            x = F.relu(block["bn"](y)) + x
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 4), 1))  # keep a 4x4 layout


def public_name(module_name):
    # "cells.cell0.conv3x3.conv.weight" -> "cell0.conv3x3.conv.weight": the gene prefix leads the name.
    return module_name[len("cells."):] if module_name.startswith("cells.") else module_name


def init_fresh(model):
    """Draws every tensor and records the distribution, so a mixer can draw w_fresh without this code."""
    init = {}
    for name, t in model.state_dict().items():
        n = public_name(name)
        if name.endswith("num_batches_tracked") or name.endswith("running_mean") or name.endswith("bias"):
            spec = "constant(0)"
        elif name.endswith("running_var") or (name.endswith("weight") and t.dim() == 1):
            spec = "constant(1)"
        else:
            fan_in = t[0].numel()
            std = math.sqrt(2.0 / fan_in)
            spec = f"normal(0,{std:.8g})"
        kind, params = spec.split("(")
        values = [float(v) for v in params.rstrip(")").split(",")]
        with torch.no_grad():
            if kind == "normal":
                t.normal_(values[0], values[1])
            else:
                t.fill_(values[0])
        init[n] = spec
    return init


def load_fashion_mnist(data_dir, train_subset, validation_subset):
    def idx(path):
        for candidate in (path, path + ".gz"):
            if os.path.exists(candidate):
                with (gzip.open if candidate.endswith(".gz") else open)(candidate, "rb") as f:
                    data = f.read()
                dims = data[3]
                shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
                return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
        raise BadInput(f"taskArgs.dataDir: no {os.path.basename(path)}[.gz] in {data_dir}; "
                       "install Debian's dataset-fashion-mnist or point dataDir at the IDX files")
    images = idx(os.path.join(data_dir, "train-images-idx3-ubyte"))
    labels = idx(os.path.join(data_dir, "train-labels-idx1-ubyte"))
    split = len(images) - VALIDATION_SIZE
    train_n = train_subset or split
    val_n = validation_subset or VALIDATION_SIZE
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    x = (x - 0.2860) / 0.3530
    y = torch.from_numpy(labels.astype(np.int64))
    return (x[:train_n], y[:train_n]), (x[split:split + val_n], y[split:split + val_n])


def atomic_write(path, write):
    """Temporary name in the same directory, fsync, rename: readers never see half a file."""
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    try:
        genes, genome, args, epoch_from, epoch_to, out_dir = read_inputs()
    except BadInput as e:
        print(f"bad input: {e}", file=sys.stderr)
        return 2
    try:
        seed = env_int("PBTNAS_SEED") if os.environ.get("PBTNAS_SEED") else 0
        torch.manual_seed(seed)
        if args["threads"]:
            torch.set_num_threads(args["threads"])
        device = "cuda" if torch.cuda.is_available() else "cpu"
        model = Net(genes, genome, args["width"])
        init = init_fresh(model)
        params = {public_name(n): p for n, p in model.named_parameters()}
        opt = torch.optim.Adam(model.parameters(), lr=args["learningRate"])

        source = os.environ.get("PBTNAS_INPUT")
        if source:
            if not os.path.isfile(source):
                raise BadInput(f"PBTNAS_INPUT: no checkpoint at {source}")
            saved = load_file(source)
            state = {}
            for name in model.state_dict():
                n = public_name(name)
                if n not in saved:
                    raise BadInput(f"PBTNAS_INPUT: {source} lacks tensor {n} needed by genome {genome}")
                state[name] = saved[n]
            model.load_state_dict(state)
            for n, p in params.items():
                # A mixed checkpoint has no optimizer state for swapped layers: Adam starts afresh there.
                m, v = saved.get(f"optimizer/exp_avg/{n}"), saved.get(f"optimizer/exp_avg_sq/{n}")
                if m is not None and v is not None:
                    step = saved.get(f"optimizer/step/{n}", torch.tensor(0.0))
                    opt.state[p] = {"step": step.float().reshape(()), "exp_avg": m, "exp_avg_sq": v}
        model.to(device)
        for state in opt.state.values():
            for k in ("exp_avg", "exp_avg_sq"):
                state[k] = state[k].to(device)

        (x, y), (vx, vy) = load_fashion_mnist(args["dataDir"], args["trainSubset"], args["validationSubset"])
        g = torch.Generator().manual_seed(seed)
        for epoch in range(epoch_from, epoch_to):
            model.train()
            order = torch.randperm(len(x), generator=g)
            for start in range(0, len(x), args["batchSize"]):
                batch = order[start:start + args["batchSize"]]
                loss = F.cross_entropy(model(x[batch].to(device)), y[batch].to(device))
                if not torch.isfinite(loss):
                    raise RuntimeError(f"loss became {loss.item()} in epoch {epoch}")
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            print(json.dumps({"event": "progress", "epoch": epoch + 1, "loss": round(loss.item(), 5)}), flush=True)

        model.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, len(vx), 1000):
                pred = model(vx[start:start + 1000].to(device)).argmax(1).cpu()
                correct += (pred == vy[start:start + 1000]).sum().item()
        score = correct / len(vx)

        tensors = {public_name(n): t.detach().cpu().contiguous() for n, t in model.state_dict().items()}
        for n, p in params.items():
            s = opt.state.get(p)
            if s:
                tensors[f"optimizer/exp_avg/{n}"] = s["exp_avg"].detach().cpu().contiguous()
                tensors[f"optimizer/exp_avg_sq/{n}"] = s["exp_avg_sq"].detach().cpu().contiguous()
                tensors[f"optimizer/step/{n}"] = torch.as_tensor(s["step"], dtype=torch.float32).cpu().reshape(())
        metadata = {"pbtnas.genome": json.dumps({k: genome[k] for k in sorted(genome)}),
                    "pbtnas.epoch": str(epoch_to), "pbtnas.init": json.dumps(init)}
        result = json.dumps({"score": score, "epoch": epoch_to, "validationImages": len(vx), "device": device})
        os.makedirs(out_dir, exist_ok=True)
        atomic_write(os.path.join(out_dir, "model.safetensors"), lambda p: save_file(tensors, p, metadata))
        atomic_write(os.path.join(out_dir, "metrics.json"), lambda p: write_text(p, result))
        with open(os.environ.get("PBTNAS_TERMINATION_LOG", "/dev/termination-log"), "w") as f:
            f.write(result)
        print(result, flush=True)
        return 0
    except BadInput as e:
        print(f"bad input: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # anything else is a failure while training: the operator retries
        print(f"training failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Records a search's member pods while it runs, for overhead.py.

The operator deletes a member's finished pod once its result is in the status, so nothing can be read
back at the end: this watches the pods (`kubectl get pods --watch`) and follows each trainer's log
(`kubectl logs -f --timestamps`) from the moment its container starts. For every pod it keeps the last
object seen, the local times it was first seen, first seen bound to the node, first seen finished and seen deleted, and the trainer's
timestamped log lines. Runs until SIGTERM or SIGINT, then writes --out (temporary name, renamed).
Usage: record.py --namespace NS --search NAME --out FILE   (KUBECONFIG names the cluster)
"""
import argparse
import json
import os
import signal
import subprocess
import threading
import time

KUBECTL = os.environ.get("KUBECTL", "kubectl")


class Recorder:
    def __init__(self, namespace, search):
        self.namespace, self.search = namespace, search
        self.pods = {}  # name -> record
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def watch(self):
        cmd = [KUBECTL, "-n", self.namespace, "get", "pods", "-l", f"pbtnas.io/search={self.search}",
               "--watch", "--output-watch-events", "-o", "json"]
        while not self.stopping.is_set():
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            decoder, buf = json.JSONDecoder(), ""
            for line in proc.stdout:
                buf += line
                while True:
                    buf = buf.lstrip()
                    try:
                        event, end = decoder.raw_decode(buf)
                    except ValueError:
                        break
                    buf = buf[end:]
                    self.seen(event.get("type"), event.get("object") or {}, time.time())
            proc.wait()
            # a watch ends on its own after a while: start another, the records carry on

    def seen(self, kind, pod, now):
        meta = pod.get("metadata", {})
        name = meta.get("name")
        if not name or meta.get("labels", {}).get("pbtnas.io/role", "member") != "member":
            return
        with self.lock:
            rec = self.pods.get(name)
            if rec is None:
                rec = self.pods[name] = {"firstSeen": now, "scheduledSeen": None, "doneSeen": None,
                                         "deletedSeen": None, "log": []}
                threading.Thread(target=self.follow, args=(name,), daemon=True).start()
            rec["pod"] = pod
            if rec["scheduledSeen"] is None and pod.get("spec", {}).get("nodeName"):
                rec["scheduledSeen"] = now
            if rec["doneSeen"] is None and pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                rec["doneSeen"] = now
            if kind == "DELETED" and rec["deletedSeen"] is None:
                rec["deletedSeen"] = now

    def follow(self, name):
        """The trainer's log from its start: retried while the container waits, once it has run."""
        while not self.stopping.is_set():
            with self.lock:
                gone = self.pods[name]["deletedSeen"] is not None
            if gone:
                return
            run = subprocess.run([KUBECTL, "-n", self.namespace, "logs", "-f", "--timestamps", name, "-c", "trainer"],
                                 capture_output=True, text=True)
            if run.returncode == 0:
                with self.lock:
                    self.pods[name]["log"] = run.stdout.splitlines()
                return
            time.sleep(0.2)

    def write(self, path):
        with self.lock:
            text = json.dumps(self.pods, indent=1)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--namespace", required=True)
    ap.add_argument("--search", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rec = Recorder(a.namespace, a.search)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    threading.Thread(target=rec.watch, daemon=True).start()
    done.wait()
    # the last logs a finished container printed are read before stopping
    deadline = time.time() + 20
    while time.time() < deadline and any(r["deletedSeen"] is None and not r["log"] and r["doneSeen"]
                                         for r in list(rec.pods.values())):
        time.sleep(0.2)
    rec.stopping.set()
    rec.write(a.out)


if __name__ == "__main__":
    main()

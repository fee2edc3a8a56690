"""Profile of the engine's TorchScript decode step on a GPU, from Python, for one or more versions
of its source (llama_step.py): kernels per step, GPU busy time per step, the kernels by count and
time, and the step's wall time per batch. The module is compiled from the same archive the Java
engine writes (ScriptArchive) and run by the same C++ graph executor, with a Mistral-7B-v0.3-shaped
model (random weights, float16), 16-token prompts, temperature 0.7 and top_p 0.9, the chosen ids
copied to the host after every step as the engine does.

  python tools/gpu/step_profile.py [--batches 1,32,128,512] [--new 128] NAME=llama_step.py ...

Needs PyTorch with CUDA; writes its tables on stdout."""
import argparse, io, statistics, sys, time, zipfile
import torch
from torch.profiler import ProfilerActivity, profile

V, D, I, L, H, KV, HD = 32768, 4096, 14336, 32, 32, 8, 128
POSITIONS = 4096


def archive(source):
    # what ScriptArchive.of writes: the pickled module object, its source, no constants, version 8
    pickle = (b"\x80\x02c__torch__\nLlamaStep\n)\x81}(X" + len(b"training").to_bytes(4, "little")
              + b"training\x89ub.")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("llamastep/data.pkl", pickle)
        z.writestr("llamastep/code/__torch__.py", source)
        z.writestr("llamastep/constants.pkl", b"\x80\x02).")
        z.writestr("llamastep/version", "8\n")
    out.seek(0)
    return torch.jit.load(out, map_location="cuda")


def model_weights(dev, dt):
    torch.manual_seed(0)
    w = lambda *s: torch.randn(*s, device=dev, dtype=dt) * 0.02
    inv = 1.0 / (1e6 ** (torch.arange(0, HD, 2, device=dev).float() / HD))
    ang = torch.outer(torch.arange(POSITIONS, device=dev).float(), inv)
    ang = torch.cat([ang, ang], 1)
    out = [w(V, D), w(V, D), ang.cos().to(dt), ang.sin().to(dt)]
    for _ in range(L):
        out += [w((H + 2 * KV) * HD, D), w(D, H * HD), w(2 * I, D), w(D, I)]
    return out


class Run:
    """One generation's state: caches and constant arguments, made once per batch."""

    def __init__(self, module, weights, batch, new, dev, dt):
        self.m, self.w, self.b, self.new = module, weights, batch, new
        like = torch.zeros(1, device=dev, dtype=dt)
        self.k = module.new_cache(L, batch, KV, 16 + new, HD, like)
        self.v = module.new_cache(L, batch, KV, 16 + new, HD, like)
        self.pad = torch.zeros(batch, dtype=torch.long, device=dev)
        g = torch.Generator().manual_seed(batch)
        self.prompt = torch.randint(3, V, (batch, 16), generator=g).to(dev)
        self.prompt[:, 0] = 1

    def step(self, tokens, start):
        u = [0.5] * self.b
        return self.m.next(tokens, start, self.pad, False, self.w, self.k, self.v, H, KV, 0, 1e-5, -30000.0,
                           0.7, 0, 0.9, u)

    def generate(self, on_step=None):
        ids = self.step(self.prompt, 0)
        ids.cpu()
        times = []
        for s in range(1, self.new):
            t0 = time.perf_counter()
            ids = self.step(ids, 15 + s)
            ids.cpu()  # the engine copies the chosen ids to the host every step
            times.append((time.perf_counter() - t0) * 1e3)
            if on_step:
                on_step(s)
        return times


def busy_us(intervals):
    total, end = 0.0, -1.0
    for a, b in sorted(intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def profile_steps(run, steps):
    ids = run.step(run.prompt, 0)
    ids.cpu()
    for s in range(1, 8):
        ids = run.step(ids, 15 + s)
    ids.cpu()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        for s in range(8, 8 + steps):
            ids = run.step(ids, 15 + s)
            ids.cpu()
        torch.cuda.synchronize()
    gpu = [e for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA]
    intervals = [(e.time_range.start, e.time_range.end) for e in gpu]
    by_name = {}
    for e in gpu:
        c, t = by_name.get(e.name, (0, 0.0))
        by_name[e.name] = (c + 1, t + e.time_range.elapsed_us())
    return len(gpu) / steps, busy_us(intervals) / steps / 1e3, sum(t for _, t in by_name.values()) / steps / 1e3, by_name


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batches", default="1,32,128,512")
    p.add_argument("--new", type=int, default=128)
    p.add_argument("--warmups", type=int, default=3)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--optimize", choices=["on", "off", "both"], default="on")
    p.add_argument("sources", nargs="+", help="NAME=path to a llama_step.py")
    a = p.parse_args()
    dev, dt = torch.device("cuda"), torch.float16
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}", flush=True)
    weights = model_weights(dev, dt)
    batches = [int(b) for b in a.batches.split(",")]
    modes = {"on": [True], "off": [False], "both": [True, False]}[a.optimize]
    rows = []
    for spec in a.sources:
        name, path = spec.split("=", 1)
        module = archive(open(path).read())
        for opt in modes:
            torch._C._set_graph_executor_optimize(opt)
            label = f"{name} (optimize {'on' if opt else 'off'})"
            for b in batches:
                run = Run(module, weights, b, a.new, dev, dt)
                for _ in range(a.warmups):
                    run.generate()
                medians = [statistics.median(run.generate()) for _ in range(a.repeats)]
                ms = statistics.median(medians)
                line = f"{label} batch {b}: {ms:.2f} ms/step, {b / ms * 1e3:.0f} tok/s"
                if b == 1:
                    kernels, busy, summed, by_name = profile_steps(run, 20)
                    line += f"; {kernels:.0f} GPU activities a step, GPU busy {busy:.2f} ms a step (kernel sum {summed:.2f})"
                    top = sorted(by_name.items(), key=lambda kv: -kv[1][1])[:25]
                    detail = "\n".join(f"    {c / 20:6.1f}/step {t / 20:8.1f} us/step  {n[:110]}" for n, (c, t) in top)
                    line += "\n" + detail
                print(line, flush=True)
                rows.append(line)
                del run
                torch.cuda.empty_cache()
    print("\n== summary ==")
    for r in rows:
        print(r.split("\n")[0])


if __name__ == "__main__":
    sys.exit(main())

class LlamaStep(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def new_cache(self: __torch__.LlamaStep, layers: int, batch: int, kv_heads: int, capacity: int,
                head_dim: int, like: Tensor) -> List[Tensor]:
    # one [batch, kv_heads, capacity, head_dim] tensor per layer, in like's dtype and device
    cache = annotate(List[Tensor], [])
    for i in range(layers):
      cache.append(torch.zeros([batch, kv_heads, capacity, head_dim], dtype=like.dtype, device=like.device))
    return cache

  def attention_mask(self: __torch__.LlamaStep, pad: Tensor, padded: bool, start: int, t: int, group: int,
                     window: int, masked: float, like: Tensor) -> Optional[Tensor]:
    # additive mask over the keys [0, start + t): [batch or 1, 1, group * t or 1, start + t]; None
    # when nothing is hidden (decode without padding, window not reached): SDPA then needs none
    stop = start + t
    cut = window > 0 and stop - 1 >= window
    if not padded and t == 1 and not cut:
      return None
    i = torch.unsqueeze(torch.arange(start, stop, device=like.device), 1)  # [t, 1] query cache index
    j = torch.unsqueeze(torch.arange(0, stop, device=like.device), 0)  # [1, L] key cache index
    hidden = torch.gt(j, i)
    if window > 0:
      hidden = torch.logical_or(hidden, torch.ge(torch.sub(i, j), window))
    m = torch.masked_fill(torch.zeros([t, stop], dtype=like.dtype, device=like.device), hidden, masked)
    m = torch.view(m, [1, 1, t, stop])
    if padded:
      before = torch.lt(torch.view(j, [1, 1, 1, stop]), torch.view(pad, [-1, 1, 1, 1]))  # [b, 1, 1, L]
      m = torch.add(m, torch.masked_fill(torch.zeros([1, 1, 1, stop], dtype=like.dtype, device=like.device), before, masked))
    if t > 1:
      # query rows are ordered (group, token): the same mask rows for every query head of a group
      m = torch.reshape(torch.expand(torch.unsqueeze(m, 2), [-1, -1, group, -1, -1]), [-1, 1, group * t, stop])
    return m

  def hidden(self: __torch__.LlamaStep, tokens: Tensor, start: int, pad: Tensor, padded: bool,
             weights: List[Tensor], kcache: List[Tensor], vcache: List[Tensor], heads: int, kv_heads: int,
             window: int, eps: float, masked: float) -> Tensor:
    # tokens [b, t] at cache indices [start, start + t); returns the last layer's output [b, t, hidden]
    # weights: embedding, lm head, cos table, sin table, then per layer qkv, o, gate_up, down
    if torch.dim(tokens) == 1:
      tokens = torch.unsqueeze(tokens, 1)
    b = torch.size(tokens, 0)
    t = torch.size(tokens, 1)
    stop = start + t
    x = torch.embedding(weights[0], tokens)  # [b, t, hidden]
    dim = torch.size(x, 2)
    like = x
    d = torch.size(weights[2], 1)
    group = heads // kv_heads
    rotated = heads + kv_heads
    # position ids: cache index minus the row's left padding; padding itself gets 1, as in transformers
    positions = torch.sub(torch.unsqueeze(torch.arange(start, stop, device=tokens.device), 0), torch.view(pad, [-1, 1]))
    positions = torch.masked_fill(positions, torch.lt(positions, 0), 1)  # [b, t]
    rot = self.rotation(weights[2], weights[3], positions, b * t, d)  # [b * t, d, d]
    mask = self.attention_mask(pad, padded, start, t, group, window, masked, like)
    # the residual stream as [b * t, hidden]: each block's output projection adds into it in place
    # (addmm_, beta 1), which saves an elementwise kernel per block
    x = torch.view(x, [b * t, dim])
    for i in range(len(kcache)):
      h = torch.rms_norm(x, [dim], None, eps)  # the gain is folded into qkv
      qkv = torch.view(torch.linear(h, weights[4 + 4 * i]), [b * t, heads + 2 * kv_heads, d])
      # rotary on the q and k heads as one batched matmul by the rows' rotation matrices: one kernel
      # where the elementwise form (x * cos + rotate_half(x) * sin) takes five
      qk = torch.matmul(torch.slice(qkv, 1, 0, rotated), rot)  # [b * t, heads + kv_heads, d]
      kc = kcache[i]
      vc = vcache[i]
      if t == 1:
        # decode, the common case, in fewer operations (each costs host time in the interpreter):
        # one cache row per sequence, and q [b, kv, group, d] a view of qk
        torch.copy_(torch.select(kc, 2, start), torch.slice(qk, 1, heads, rotated))
        torch.copy_(torch.select(vc, 2, start), torch.slice(qkv, 1, rotated, heads + 2 * kv_heads))
        q = torch.view(torch.slice(qk, 1, 0, heads), [b, kv_heads, group, d])
      else:
        torch.copy_(torch.slice(kc, 2, start, stop),
                    torch.transpose(torch.view(torch.slice(qk, 1, heads, rotated), [b, t, kv_heads, d]), 1, 2))
        torch.copy_(torch.slice(vc, 2, start, stop),
                    torch.transpose(torch.view(torch.slice(qkv, 1, rotated, heads + 2 * kv_heads), [b, t, kv_heads, d]), 1, 2))
        # grouped queries: [b, kv, group * t, d], rows ordered (group, token); keys never repeated
        q = torch.reshape(torch.permute(torch.view(torch.slice(qk, 1, 0, heads), [b, t, kv_heads, group, d]), [0, 2, 3, 1, 4]),
                          [b, kv_heads, group * t, d])
      a = torch.scaled_dot_product_attention(q, torch.slice(kc, 2, 0, stop), torch.slice(vc, 2, 0, stop), mask, 0.0,
                                             False, scale=1.0)  # q is pre-scaled by 1/sqrt(d)
      if t == 1:
        a = torch.reshape(a, [b, heads * d])  # [b, kv, group, d]: already in the o projection's head order
      else:
        a = torch.reshape(torch.permute(torch.view(a, [b, kv_heads, group, t, d]), [0, 3, 1, 2, 4]), [b * t, heads * d])
      x.addmm_(a, torch.t(weights[5 + 4 * i]))
      h = torch.rms_norm(x, [dim], None, eps)  # the gain is folded into gate_up
      gu = torch.linear(h, weights[6 + 4 * i])  # [b * t, 2 * intermediate]
      halves = torch.chunk(gu, 2, 1)  # gate, up
      gated = torch.mul(torch.silu(halves[0]), halves[1])
      x.addmm_(gated, torch.t(weights[7 + 4 * i]))
    return torch.view(x, [b, t, dim])

  def rotation(self: __torch__.LlamaStep, cos_table: Tensor, sin_table: Tensor, positions: Tensor, rows: int,
               d: int) -> Tensor:
    # each row's rotary as a [d, d] matrix M, so that x @ M = x * cos + rotate_half(x) * sin for a
    # head x at that row's position: M = I * cos + rotate_half(I) * sin, cos and sin over columns.
    # Made once per step for all layers; [rows, d, d]
    half = d // 2
    eye = torch.eye(d, dtype=cos_table.dtype, device=cos_table.device)
    turned = torch.cat([torch.neg(torch.slice(eye, 1, half, d)), torch.slice(eye, 1, 0, half)], 1)
    cos = torch.unsqueeze(torch.view(torch.embedding(cos_table, positions), [rows, d]), 1)  # [rows, 1, d]
    sin = torch.unsqueeze(torch.view(torch.embedding(sin_table, positions), [rows, d]), 1)
    return torch.add(torch.mul(eye, cos), torch.mul(turned, sin))

  def logits(self: __torch__.LlamaStep, tokens: Tensor, start: int, pad: Tensor, padded: bool,
             weights: List[Tensor], kcache: List[Tensor], vcache: List[Tensor], heads: int, kv_heads: int,
             window: int, eps: float, masked: float, last_only: bool) -> Tensor:
    # float32 logits [b, t or 1, vocab]
    x = self.hidden(tokens, start, pad, padded, weights, kcache, vcache, heads, kv_heads, window, eps, masked)
    if last_only:
      x = torch.slice(x, 1, torch.size(x, 1) - 1, torch.size(x, 1))
    x = torch.rms_norm(x, [torch.size(x, 2)], None, eps)  # the gain is folded into the lm head
    return torch.to(torch.linear(x, weights[1]), 6)

  def next(self: __torch__.LlamaStep, tokens: Tensor, start: int, pad: Tensor, padded: bool,
           weights: List[Tensor], kcache: List[Tensor], vcache: List[Tensor], heads: int, kv_heads: int,
           window: int, eps: float, masked: float, temperature: float, top_k: int, top_p: float,
           uniforms: List[float]) -> Tensor:
    # one step and each row's next token: ids [b] int64, on the device
    logits = self.logits(tokens, start, pad, padded, weights, kcache, vcache, heads, kv_heads, window, eps, masked, True)
    return self.sample(torch.select(logits, 1, 0), temperature, top_k, top_p, uniforms)

  def sample(self: __torch__.LlamaStep, logits: Tensor, temperature: float, top_k: int, top_p: float,
             uniforms: List[float]) -> Tensor:
    # logits [b, vocab] float32. Greedy is argmax. Otherwise temperature, then top-k, then top-p over
    # the renormalised top-k, then the first token whose cumulative probability reaches u * total
    if temperature == 0.0:
      return torch.argmax(logits, -1)
    vocab = torch.size(logits, 1)
    scaled = torch.mul(logits, 1.0 / temperature)
    u = torch.view(torch.tensor(uniforms, dtype=6, device=logits.device), [-1, 1])  # [b, 1]
    if top_k > 0 or top_p < 1.0:
      order = torch.argsort(scaled, -1, True)  # [b, vocab] ids by descending logit
      probs = torch.softmax(torch.gather(scaled, -1, order), -1)
      if top_k > 0 and top_k < vocab:
        keep = torch.to(torch.lt(torch.arange(0, vocab, device=logits.device), top_k), 6)
        probs = torch.mul(probs, keep)
        probs = torch.div(probs, torch.sum(probs, [-1], True))
      if top_p < 1.0:
        before = torch.sub(torch.cumsum(probs, -1), probs)  # mass strictly ahead of each token
        probs = torch.mul(probs, torch.to(torch.lt(before, top_p), 6))
      index = self.draw(probs, u, vocab)
      return torch.view(torch.gather(order, -1, index), [-1])
    return torch.view(self.draw(torch.softmax(scaled, -1), u, vocab), [-1])

  def draw(self: __torch__.LlamaStep, probs: Tensor, u: Tensor, vocab: int) -> Tensor:
    cumulative = torch.cumsum(probs, -1)  # [b, vocab]
    target = torch.mul(u, torch.slice(cumulative, 1, vocab - 1, vocab))
    return torch.clamp_max(torch.sum(torch.lt(cumulative, target), [-1], True), vocab - 1)  # [b, 1]

  def copies(self: __torch__.LlamaStep, source: Tensor, target: Tensor, times: int) -> Tensor:
    # device-to-device copies for the bandwidth measurement; the sum makes the caller wait for them
    for i in range(times):
      torch.copy_(target, source)
    return torch.sum(torch.slice(target, 0, 0, 1))

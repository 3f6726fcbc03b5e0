// Drawing on plain canvases: heatmaps from the server's byte grids, curves, histograms, line charts.
"use strict";

const Draw = (() => {
  const NEGATIVE = [245, 147, 34], ZERO = [232, 234, 235], POSITIVE = [8, 119, 189];
  const LAYER_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"];

  // colour of a value in [-1, 1]: orange, grey-white, blue (TF Playground's scale)
  function colour(v) {
    v = Math.max(-1, Math.min(1, v));
    const end = v < 0 ? NEGATIVE : POSITIVE, t = Math.abs(v);
    return [0, 1, 2].map(i => Math.round(ZERO[i] + (end[i] - ZERO[i]) * t));
  }
  const css = v => `rgb(${colour(v).join(",")})`;

  const LUT = new Uint8ClampedArray(256 * 3);            // byte code -> colour
  const LUT_DISCRETE = new Uint8ClampedArray(256 * 3);
  for (let code = 0; code < 256; code++) {
    const v = code / 127.5 - 1;
    LUT.set(colour(v), code * 3);
    LUT_DISCRETE.set(colour(v < 0 ? -1 : 1), code * 3);
  }

  function decode(base64) {
    const text = atob(base64), bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  const scratch = document.createElement("canvas");
  // a size x size grid of codes, scaled to fill the canvas
  function heatmap(canvas, encoded, size, discrete) {
    const codes = decode(encoded.data), lut = discrete ? LUT_DISCRETE : LUT;
    scratch.width = size; scratch.height = size;
    const sctx = scratch.getContext("2d"), image = sctx.createImageData(size, size);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] * 3, p = i * 4;
      image.data[p] = lut[c]; image.data[p + 1] = lut[c + 1]; image.data[p + 2] = lut[c + 2]; image.data[p + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = !discrete;
    ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  }

  function range(values) {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) if (v !== null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!isFinite(lo)) return [-1, 1];
    if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
    return [lo, hi];
  }

  // y values sampled evenly across the canvas; [lo, hi] the y range (computed when omitted)
  function curve(ctx, ys, width, height, lo, hi, style, lineWidth, dash) {
    if (lo === undefined) [lo, hi] = range(ys);
    ctx.save();
    ctx.strokeStyle = style; ctx.lineWidth = lineWidth || 1.5; ctx.setLineDash(dash || []);
    ctx.beginPath();
    let drawing = false;
    ys.forEach((y, i) => {
      if (y === null || !isFinite(y)) { drawing = false; return; }
      const px = i / (ys.length - 1) * width, py = height - (y - lo) / (hi - lo) * height;
      drawing ? ctx.lineTo(px, py) : ctx.moveTo(px, py);
      drawing = true;
    });
    ctx.stroke();
    ctx.restore();
  }

  // a unit of the one-input task: its output over x, coloured by sign like the heatmaps
  function unitCurve(canvas, ys) {
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const [lo, hi] = range(ys.concat([0]));
    ctx.fillStyle = "#f3f3f3"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    const zero = canvas.height - (0 - lo) / (hi - lo) * canvas.height;
    ctx.strokeStyle = "#ccc"; ctx.beginPath(); ctx.moveTo(0, zero); ctx.lineTo(canvas.width, zero); ctx.stroke();
    curve(ctx, ys, canvas.width, canvas.height, lo, hi, css(hi + lo > 0 ? 0.9 : -0.9), 2);
  }

  // |f'| at the centre of each histogram bin, from the sampled curve (finite differences)
  function slopes(layer, bins) {
    const ys = layer.curve, step = 2 * layer.reach / (ys.length - 1);
    return Array.from({ length: bins }, (_, b) => {
      const at = (b + 0.5) / bins * (ys.length - 1), i = Math.min(ys.length - 2, Math.floor(at));
      return ys[i] === null || ys[i + 1] === null ? 0 : Math.abs(ys[i + 1] - ys[i]) / step;
    });
  }
  // regime of a slope against the curve's steepest: red flat (dead or saturated), amber weak, blue passing
  const REGIME = ["rgba(214,39,40,0.6)", "rgba(245,147,34,0.6)", "rgba(8,119,189,0.45)"];
  const regime = (slope, steepest) => (slope < 1e-2 * Math.max(steepest, 1e-9) || slope < 1e-4 ? 0 : slope < 0.25 * steepest ? 1 : 2);

  // the layer's activation over [-reach, reach] with this unit's pre-activation histogram under it, each bar
  // coloured by the slope there: where the unit's inputs fall on its curve, at a glance
  function activation(canvas, layer, unit, axes) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    const most = Math.max(1, ...unit.hist), slope = slopes(layer, unit.hist.length), steepest = Math.max(...slope);
    const bar = w / unit.hist.length;
    unit.hist.forEach((count, i) => {
      const bh = count / most * h * 0.9;
      ctx.fillStyle = REGIME[regime(slope[i], steepest)];
      ctx.fillRect(i * bar, h - bh, Math.max(1, bar - 0.5), bh);
    });
    if (axes) {
      ctx.fillStyle = "#666"; ctx.font = "11px sans-serif";
      ctx.fillText(`−${layer.reach.toPrecision(3)}`, 2, h - 2);
      ctx.fillText(`${layer.reach.toPrecision(3)}`, w - 34, h - 2);
    }
    ctx.strokeStyle = "#ddd"; ctx.beginPath(); ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, h); ctx.stroke();
    curve(ctx, layer.curve, w, h, undefined, undefined, "#222", 1.2);
  }

  // several series of [x, y] points on shared axes; log: y on a log10 scale
  function lines(canvas, series, options) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height, pad = options.pad || 4;
    ctx.clearRect(0, 0, w, h);
    const tf = y => (options.log ? Math.log10(Math.max(y, 1e-12)) : y);
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const s of series) for (const [x, y] of s.points) {
      if (y === null || !isFinite(y) || (options.log && y <= 0)) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, tf(y)); y1 = Math.max(y1, tf(y));
    }
    if (!isFinite(x0)) return;
    if (options.zero && !options.log) y0 = Math.min(y0, 0);
    if (x1 === x0) x1 = x0 + 1;
    if (y1 - y0 < 1e-9) { y1 += 0.5; y0 -= 0.5; }
    const px = x => pad + (x - x0) / (x1 - x0) * (w - 2 * pad), py = y => h - pad - (tf(y) - y0) / (y1 - y0) * (h - 2 * pad);
    if (options.log) {
      ctx.fillStyle = "#999"; ctx.font = "10px sans-serif";
      for (let e = Math.ceil(y0); e <= Math.floor(y1); e++) {
        ctx.fillRect(pad, py(10 ** e), w - 2 * pad, 0.5);
        ctx.fillText(`1e${e}`, pad + 1, py(10 ** e) - 2);
      }
    }
    for (const s of series) {
      ctx.strokeStyle = s.colour; ctx.lineWidth = s.width || 1.5; ctx.beginPath();
      let drawing = false;
      for (const [x, y] of s.points) {
        if (y === null || !isFinite(y) || (options.log && y <= 0)) { drawing = false; continue; }
        drawing ? ctx.lineTo(px(x), py(y)) : ctx.moveTo(px(x), py(y));
        drawing = true;
      }
      ctx.stroke();
    }
  }

  // the data points over the output: 2-D sets on the square (train points white-edged, test black-edged)
  function points(ctx, list, domain, size, problem, edge) {
    const [lo, hi] = domain, scale = size / (hi - lo);
    ctx.lineWidth = 1; ctx.strokeStyle = edge;
    for (const [x1, x2, y] of list) {
      const value = problem === "classification" ? (y > 0.5 ? 1 : -1) : y;
      ctx.fillStyle = css(value);
      ctx.beginPath(); ctx.arc((x1 - lo) * scale, (hi - x2) * scale, 3, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
  }

  // a dataset's thumbnail from a few of its points
  function preview(canvas, rows, problem, oneD) {
    const ctx = canvas.getContext("2d"), w = canvas.width;
    ctx.fillStyle = "#f3f3f3"; ctx.fillRect(0, 0, w, w);
    const [ylo, yhi] = oneD ? range(rows.map(r => r[1])) : [-6, 6], [xlo, xhi] = oneD ? [0, 2] : [-6, 6];
    for (const [a, b, y] of rows) {
      ctx.fillStyle = oneD ? "#0877bd" : css(problem === "classification" ? (y > 0.5 ? 1 : -1) : y);
      ctx.fillRect((a - xlo) / (xhi - xlo) * (w - 3), w - 3 - (b - ylo) / (yhi - ylo) * (w - 3), 2.5, 2.5);
    }
  }

  return { colour, css, heatmap, curve, unitCurve, activation, lines, points, preview, range, REGIME, LAYER_COLOURS };
})();

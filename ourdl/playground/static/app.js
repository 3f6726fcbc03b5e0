// The page: asks the server for a session for the address's state, sends controls, draws the frames it streams.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token");
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DATASET_LABELS = { circles: "Circle", xor: "Exclusive or", gaussians: "Gaussian", spirals: "Spiral", moons: "Moons",
                         plane: "Plane", bumps: "Multi gaussian", quadratic: "y = x²" };

// window.playground is the page's state, and what tests read: frames drawn, the last frame, the settings, errors
const state = window.playground = { catalog: null, session: null, settings: null, playing: false, points: null,
  history: [], grads: [], frames: 0, frameTimes: [], last: null, shapeKey: "", ready: false, errors: [], trouble: false };
const $ = id => document.getElementById(id);

function url(path, query) {
  const u = new URL(path, location.href);
  u.hash = "";
  u.search = "";
  for (const [k, v] of Object.entries(query || {})) u.searchParams.set(k, v);
  if (TOKEN) u.searchParams.set("token", TOKEN);
  return u.toString();
}

async function request(method, path, query, body) {
  const response = await fetch(url(path, query), { method, headers: { "Content-Type": "application/json" },
                                                   body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

function message(text) {
  const box = $("message");
  box.hidden = !text;
  box.textContent = text || "";
  if (text) state.errors.push(text);
}

async function control(action, changes) {
  try {
    const answer = await request("POST", "api/control", { session: state.session }, { action, set: changes });
    message("");
    applySettings(answer.settings);
    setPlaying(answer.playing);
  } catch (error) {
    message(error.message);
    applySettings(state.settings);   // put the controls back to what the server runs
  }
}
const set = changes => control("set", changes);

function fillSelect(select, values, labels) {
  select.replaceChildren(...values.map(v => Network.el("option", { value: v, text: labels ? labels(v) : v })));
}

function setPlaying(playing) {
  state.playing = playing;
  $("play").classList.toggle("playing", playing);
  $("play").innerHTML = playing ? "&#x275A;&#x275A;" : "&#x25B6;";
}

function applySettings(s) {
  state.settings = s;
  history.replaceState(null, "", location.pathname + location.search + "#" + s.query);
  const rates = LEARNING_RATES.includes(s.learningRate) ? LEARNING_RATES : [...LEARNING_RATES, s.learningRate].sort((a, b) => a - b);
  fillSelect($("learningRate"), rates);
  $("learningRate").value = String(s.learningRate);
  const regRates = REGULARIZATION_RATES.includes(s.regularizationRate) ? REGULARIZATION_RATES :
    [...REGULARIZATION_RATES, s.regularizationRate].sort((a, b) => a - b);
  fillSelect($("regularizationRate"), regRates);
  $("regularizationRate").value = String(s.regularizationRate);
  const names = new Set(s.activations.map(a => a.text));
  const global = $("activation");
  fillSelect(global, [...(names.size === 1 ? [] : ["(per layer)"]), ...state.catalog.activations.map(a => a.name)]);
  global.value = names.size === 1 ? s.activations[0].name : "(per layer)";
  for (const key of ["regularization", "problem", "optimizer", "init", "loss", "percTrainData", "noise", "batchSize", "points", "seed"]) {
    $(key).value = String(s[key]);
  }
  if (s.batchSize > 30) $("batchSize").max = s.batchSize;
  for (const key of ["percTrainData", "noise", "batchSize"]) $(`${key}-value`).textContent = s[key];
  $("showTestData").checked = s.showTestData;
  $("discretize").checked = s.discretize;
  const datasets = $("datasets");
  datasets.replaceChildren(...Object.entries(state.catalog.datasets).filter(([, p]) => p === s.problem).map(([name]) => {
    const thumb = Network.el("canvas", { width: 36, height: 36 });
    Draw.preview(thumb, state.catalog.previews[name], s.problem, name === "quadratic");
    const button = Network.el("button", { class: name === s.dataset ? "selected" : "", "data-dataset": name, title: DATASET_LABELS[name] },
                              [thumb, Network.el("span", { text: DATASET_LABELS[name] })]);
    button.addEventListener("click", () => set({ dataset: name }));
    return button;
  }));
  const shape = JSON.stringify([s.dataset, s.features, s.networkShape, s.activations]);
  if (shape !== state.shapeKey) {
    Network.build(s, state.catalog, handlers);
    state.shapeKey = shape;
  }
  document.querySelectorAll("[data-control]").forEach(e => { e.dataset.hidden = s.hide.includes(e.dataset.control); });
  $("presets").value = s.preset;
  $("preset-watch").textContent = s.preset ? state.catalog.presets[s.preset].watch : "";
  $("add-layer").disabled = s.networkShape.length >= state.catalog.maxLayers;
  $("remove-layer").disabled = s.networkShape.length === 0;
  if (state.last) drawOutput(state.last);
}

const handlers = {
  inspect(layer, unit) {
    state.inspected = [layer, unit];
    if (state.last) inspect(state.last);
  },
  toggleFeature(name) {
    const chosen = state.settings.features.includes(name) ? state.settings.features.filter(f => f !== name) :
      [...state.settings.features, name];
    set({ features: chosen.join(",") });
  },
  units(layer, delta) {
    const shape = [...state.settings.networkShape];
    shape[layer] = Math.max(1, Math.min(state.catalog.maxUnits, shape[layer] + delta));
    set({ networkShape: shape.join(",") });
  },
  activation(layer, text) {
    const specs = state.settings.activations.map(a => a.text);
    specs[layer] = text;
    set({ activation: specs.join(";") });
  },
};

function onFrame(frame) {
  const began = performance.now();
  if (frame.points) { state.points = frame.points; state.history = []; state.grads = []; }
  state.history.push(...frame.history);
  if (state.history.length > 4000) state.history = state.history.filter((_, k) => k % 2 === 0);  // a long run: thin the curve
  const lastGrad = state.grads[state.grads.length - 1];
  if (!lastGrad || lastGrad[0] !== frame.step) state.grads.push([frame.step, frame.gradNorms]);
  if (state.grads.length > 2000) state.grads.splice(0, state.grads.length - 2000);
  state.last = frame;
  $("epoch").textContent = String(frame.epoch).padStart(6, "0").replace(/(\d{3})(\d{3})$/, "$1,$2");
  $("stepcount").textContent = frame.step;
  const show = v => (v === null ? "NaN" : v.toFixed(3));
  $("train-loss").textContent = show(frame.trainLoss);
  $("test-loss").textContent = show(frame.testLoss);
  Network.draw(frame);
  Network.edges(frame);
  inspect(frame);
  drawOutput(frame);
  Draw.lines($("loss-chart"), [
    { colour: "#999", points: state.history.map(h => [h[0], h[1]]) },
    { colour: "#000", points: state.history.map(h => [h[0], h[2]]) }], { zero: true });
  const layers = frame.gradNorms.length;
  Draw.lines($("grad-chart"), Array.from({ length: layers }, (_, l) => ({
    colour: Draw.LAYER_COLOURS[l % Draw.LAYER_COLOURS.length], points: state.grads.map(([step, g]) => [step, g[l]]) })),
    { log: true, pad: 6 });
  $("grad-legend").replaceChildren(...Array.from({ length: layers }, (_, l) => Network.el("span",
    { style: `color:${Draw.LAYER_COLOURS[l % Draw.LAYER_COLOURS.length]}`, text: `${l + 1 === layers ? "output" : "layer " + (l + 1)}` })));
  setPlaying(frame.playing);
  if (frame.diverged) message(frame.diverged);
  state.frames += 1;
  const now = performance.now();
  state.drawMs = (state.drawMs || 0) * 0.9 + (now - began) * 0.1;  // drawing time per frame, smoothed
  state.frameTimes.push([now, frame.step]);
  while (state.frameTimes.length && now - state.frameTimes[0][0] > 2000) state.frameTimes.shift();
  if (state.frameTimes.length > 1 && frame.playing) {
    const [t0, s0] = state.frameTimes[0], n = state.frameTimes.length - 1;
    $("rate").textContent = `${(n / (now - t0) * 1000).toFixed(1)} frames/s, ${((frame.step - s0) / n).toFixed(1)} steps per frame`;
  }
}

// the unit inspector: the chosen unit's activation curve and pre-activation histogram, large, with what they mean
function inspect(frame) {
  const [i, j] = state.inspected || [0, 0], layer = frame.layers[i], unit = layer && layer.units[j];
  $("inspector").hidden = !unit;
  if (!unit) return;
  Draw.activation($("unit-chart"), layer, unit, true);
  const entry = state.catalog.activations.find(a => a.name === state.settings.activations[i].name);
  $("unit-title").textContent = `Layer ${i + 1}, unit ${j + 1}: ${layer.activation}`;
  $("unit-formula").textContent = entry ? entry.formula : "";
  $("unit-facts").textContent = unit.dead ? "Dead: the slope is zero at every training point, so no gradient reaches this unit's weights." :
    `Slope below 0.01 at ${(unit.flat * 100).toFixed(0)}% of the training points` +
    (unit.flat > 0.5 ? ": mostly on a flat part of its curve (off or saturated), learning slowly." : ".");
}

// the domain's ends and middle along the bottom (x1) and, for the plane, the left side (x2)
function ticks(ctx, size, [lo, hi]) {
  ctx.save();
  ctx.fillStyle = "rgba(0,0,0,0.55)"; ctx.font = "10px sans-serif";
  const mid = (lo + hi) / 2;
  ctx.fillText(lo, 2, size - 2); ctx.fillText(mid, size / 2 - 3, size - 2); ctx.fillText(hi, size - 12, size - 2);
  if (lo < 0) { ctx.fillText(hi, 2, 10); ctx.fillText(mid, 2, size / 2 + 3); }
  ctx.restore();
}

function drawOutput(frame) {
  const s = state.settings, canvas = $("surface"), ctx = canvas.getContext("2d"), size = canvas.width;
  if (!state.points || ("curve" in frame.surface) !== (s.dataset === "quadratic")) return;  // the new run's frame is coming
  if (s.dataset !== "quadratic") {
    Draw.heatmap(canvas, frame.surface, frame.surface.size, s.discretize && s.problem === "classification");
    Draw.points(ctx, state.points.train, state.points.domain, size, s.problem, "#fff");
    if (s.showTestData) Draw.points(ctx, state.points.test, state.points.domain, size, s.problem, "#000");
    ticks(ctx, size, state.points.domain);
    $("legend").textContent = s.problem === "classification" ? "orange: class 0 (−1), blue: class 1 (+1); the colour is the network's output" :
      "colour: the network's output, orange negative, blue positive";
    return;
  }
  // the one-input task: y = x² with the output and each last-layer unit's own bent line w·f(...)
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, size, size);
  const bent = frame.bent ? frame.bent.units : [];
  const all = [...frame.surface.curve, ...bent.flat(), ...state.points.train.map(p => p[1]), 0];
  const [lo, hi] = Draw.range(all);
  const [x0, x1] = state.points.domain, py = y => size - 8 - (y - lo) / (hi - lo) * (size - 16);
  ctx.strokeStyle = "#ddd"; ctx.beginPath(); ctx.moveTo(0, py(0)); ctx.lineTo(size, py(0)); ctx.stroke();
  const dots = (list, colour) => { ctx.fillStyle = colour; for (const [x, y] of list) { ctx.beginPath(); ctx.arc((x - x0) / (x1 - x0) * size, py(y), 2.5, 0, 7); ctx.fill(); } };
  dots(state.points.train, "#999");
  if (s.showTestData) dots(state.points.test, "#333");
  ctx.save(); ctx.translate(0, 8);
  bent.forEach((ys, j) => Draw.curve(ctx, ys, size, size - 16, lo, hi, Draw.LAYER_COLOURS[(j + 1) % 9], 1.5, [5, 3]));
  Draw.curve(ctx, frame.surface.curve, size, size - 16, lo, hi, "#0877bd", 3);
  ctx.restore();
  ticks(ctx, size, state.points.domain);
  $("legend").textContent = "grey dots: y = x² (training points); blue: the network's output; dashed: each last-layer unit's " +
    "own bent line w·f(…), which the output adds up (plus a bias)";
}

function bindControls() {
  const c = state.catalog;
  fillSelect($("regularization"), c.regularizations);
  fillSelect($("problem"), ["classification", "regression"], v => v[0].toUpperCase() + v.slice(1));
  fillSelect($("optimizer"), c.optimizers, v => ({ sgd: "SGD", momentum: "SGD + momentum", adam: "Adam" })[v]);
  fillSelect($("init"), c.inits, v => ({ default: "PyTorch default", xavier: "Xavier", kaiming: "Kaiming", lecun: "LeCun", gain: "catalog gain" })[v]);
  fillSelect($("loss"), c.losses, v => ({ squared: "squared error", cross_entropy: "cross-entropy" })[v]);
  for (const key of ["learningRate", "regularization", "regularizationRate", "optimizer", "init", "loss", "points", "seed"]) {
    $(key).addEventListener("change", () => set({ [key]: $(key).value }));
  }
  $("activation").addEventListener("change", () => {
    if ($("activation").value !== "(per layer)") set({ activation: $("activation").value });  // one for every layer
  });
  $("problem").addEventListener("change", () => {
    const first = Object.entries(c.datasets).find(([, p]) => p === $("problem").value)[0];
    set({ problem: $("problem").value, dataset: first });
  });
  for (const key of ["percTrainData", "noise", "batchSize"]) {
    $(key).addEventListener("input", () => { $(`${key}-value`).textContent = $(key).value; });
    $(key).addEventListener("change", () => set({ [key]: $(key).value }));
  }
  for (const key of ["showTestData", "discretize"]) $(key).addEventListener("change", () => set({ [key]: $(key).checked }));
  $("play").addEventListener("click", () => control(state.playing ? "pause" : "play"));
  $("step").addEventListener("click", () => control("step"));
  $("reset").addEventListener("click", () => control("reset"));
  $("regenerate").addEventListener("click", () => control("regenerate"));
  $("add-layer").addEventListener("click", () => set({ networkShape: [...state.settings.networkShape, 2].join(",") }));
  $("remove-layer").addEventListener("click", () => set({ networkShape: state.settings.networkShape.slice(0, -1).join(",") }));
  const presets = $("presets");
  for (const [name, preset] of Object.entries(c.presets)) presets.appendChild(Network.el("option", { value: name, text: preset.title }));
  presets.addEventListener("change", () => {
    const preset = c.presets[presets.value];
    if (!preset) return;
    const base = new URLSearchParams(c.defaults);
    base.delete("problem");  // the lesson's dataset decides it
    const changes = Object.fromEntries(new URLSearchParams(`${base}&${preset.query}`));
    for (const control of state.settings.hide) changes[`${control}_hide`] = "true";
    set(changes);
  });
  $("copy-link").addEventListener("click", () => navigator.clipboard.writeText(location.href).then(
    () => { $("copy-link").textContent = "Link copied"; }, () => message(`Copy this link: ${location.href}`)));
}

function openStream() {
  const source = new EventSource(url("api/stream", { session: state.session }));
  source.onmessage = event => {
    if (state.trouble) { state.trouble = false; message(""); }
    onFrame(JSON.parse(event.data));
  };
  source.onerror = () => {
    state.trouble = true;
    message(source.readyState === EventSource.CLOSED ? "The playground server ended this session; reload the page." :
      "Lost the connection to the playground server; retrying…");
  };
  state.source = source;
}

async function start() {
  try {
    state.catalog = await request("GET", "api/catalog");
  } catch (error) {
    message(`The playground server did not answer: ${error.message}`);
    return;
  }
  bindControls();
  let created, problem = "";
  try {
    created = await request("POST", "api/session", {}, { query: location.hash.slice(1) });
  } catch (error) {
    problem = `The settings in this address cannot be used: ${error.message}. The default run is shown instead.`;
    created = await request("POST", "api/session", {}, { query: "" });
  }
  state.session = created.session;
  $("export-script").href = url("api/export/script", { session: state.session });
  $("export-weights").href = url("api/export/weights", { session: state.session });
  applySettings(created.settings);
  message(problem);
  openStream();
  window.addEventListener("pagehide", () => {
    state.source.close();
    navigator.sendBeacon(url("api/close", { session: state.session }));
  });
  window.addEventListener("resize", () => state.last && Network.edges(state.last));
  state.ready = true;
}

start();

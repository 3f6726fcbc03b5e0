// The network view: feature nodes, hidden layers of units (heatmap + activation curve), the edges between them.
"use strict";

const Network = (() => {
  const FEATURE_LABELS = { x1: "X₁", x2: "X₂", x1sq: "X₁²", x2sq: "X₂²", x1x2: "X₁X₂", sinx1: "sin(X₁)", sinx2: "sin(X₂)" };
  let view = { inputs: [], layers: [], output: null };   // elements whose centres the edges join

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }

  // rebuild the columns for these settings; handlers: toggleFeature(name), units(layer, delta), activation(layer, text)
  function build(settings, catalog, handlers) {
    const oneD = settings.dataset === "quadratic";
    const names = oneD ? catalog.oneDimensionalFeatures : catalog.features;
    const featureBox = document.getElementById("features");
    featureBox.replaceChildren();
    view = { inputs: [], layers: [], output: document.getElementById("surface"), features: {} };
    for (const name of names) {
      const on = settings.features.includes(name);
      const canvas = el("canvas", { class: "heat", width: 44, height: oneD ? 30 : 44 });
      const node = el("div", { class: `node feature${on ? "" : " off"}${oneD ? " curve" : ""}`, title: `${name}: click to ${on ? "remove" : "add"}`,
                               "data-feature": name }, [canvas, el("span", { class: "name", text: FEATURE_LABELS[name] })]);
      node.addEventListener("click", () => handlers.toggleFeature(name));
      featureBox.appendChild(node);
      view.features[name] = canvas;
      if (on) view.inputs.push(node);
    }
    const layersBox = document.getElementById("layers");
    layersBox.replaceChildren();
    settings.networkShape.forEach((width, i) => {
      const spec = settings.activations[i];
      const select = el("select", { "data-layer": i, title: "this layer's activation" },
        catalog.activations.map(a => el("option", { value: a.name, text: a.name })));
      select.value = spec.name;
      select.addEventListener("change", () => handlers.activation(i, select.value));
      const entry = catalog.activations.find(a => a.name === spec.name) || { parameters: {} };
      const params = el("div", { class: "params" });
      for (const [key, fallback] of Object.entries(entry.parameters)) {
        const value = key in spec.params ? spec.params[key] : fallback;
        const input = el("input", typeof fallback === "number" ? { type: "number", step: "any", value } :
          typeof fallback === "boolean" ? { type: "checkbox" } : { type: "text", value });
        if (typeof fallback === "boolean") input.checked = value;
        input.dataset.param = key;
        input.addEventListener("change", () => {
          const parts = [...params.querySelectorAll("input")].map(p =>
            `${p.dataset.param}=${p.type === "checkbox" ? p.checked : p.value}`);
          handlers.activation(i, `${spec.name}(${parts.join(",")})`);
        });
        params.appendChild(el("label", { text: key }, [input]));
      }
      const plus = el("button", { title: "Add a unit", text: "+" }), minus = el("button", { title: "Remove a unit", text: "−" });
      plus.addEventListener("click", () => handlers.units(i, +1));
      minus.addEventListener("click", () => handlers.units(i, -1));
      const units = [];
      for (let j = 0; j < width; j++) {
        const node = el("div", { class: `node unit${oneD ? " curve" : ""}`, "data-unit": `${i}-${j}` }, [
          el("canvas", { class: "heat", width: 44, height: oneD ? 30 : 44 }), el("canvas", { class: "act", width: 88, height: 44 })]);
        node.addEventListener("click", () => handlers.inspect(i, j));
        units.push(node);
      }
      layersBox.appendChild(el("div", { class: "layer", "data-layer": i }, [
        el("div", { class: "layer-buttons", "data-control": "networkShape" }, [plus, minus]),
        el("div", { class: "count", text: `${width} neuron${width === 1 ? "" : "s"}` }),
        el("div", { "data-control": "activation" }, [select, params]), ...units]));
      view.layers.push(units);
    });
    const depth = settings.networkShape.length;
    document.getElementById("layer-count").textContent = `${depth} hidden layer${depth === 1 ? "" : "s"}`;
  }

  // draw one frame's units and features (the edges are drawn by edges())
  // (a frame of the previous run may still arrive after the settings changed: it is drawn by what it holds)
  function draw(frame) {
    Object.entries(frame.features).forEach(([name, data]) => {
      const canvas = view.features[name];
      if (!canvas || !data) return;
      data.curve ? Draw.unitCurve(canvas, data.curve) : Draw.heatmap(canvas, data.heat, 24, false);
    });
    frame.layers.forEach((layer, i) => {
      (view.layers[i] || []).forEach((node, j) => {
        const unit = layer.units[j];
        if (!unit) return;
        const [heat, act] = node.querySelectorAll("canvas");
        unit.curve ? Draw.unitCurve(heat, unit.curve) : Draw.heatmap(heat, unit.heat, 24, false);
        Draw.activation(act, layer, unit);
        node.classList.toggle("dead", unit.dead);
        node.title = `layer ${i + 1}, unit ${j + 1}: ${layer.activation}; pre-activations on [−${layer.reach.toPrecision(3)}, ` +
          `${layer.reach.toPrecision(3)}]; slope below 0.01 at ${(unit.flat * 100).toFixed(0)}% of the training points` +
          (unit.dead ? "; DEAD: zero slope everywhere, it learns no more" : "");
      });
    });
  }

  // lines from each input/unit to the next layer's units and the output, blue positive, orange negative, width |w|
  function edges(frame) {
    const canvas = document.getElementById("edges"), main = document.getElementById("main");
    const box = main.getBoundingClientRect();
    if (canvas.width !== main.clientWidth || canvas.height !== main.clientHeight) {
      canvas.width = main.clientWidth; canvas.height = main.clientHeight;
    }
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const centre = (node, side) => {
      const r = node.getBoundingClientRect();
      return [side > 0 ? r.right - box.left : r.left - box.left,
              r.top - box.top + (node === view.output ? r.height : Math.min(r.height, 44)) / 2];
    };
    const columns = [view.inputs, ...view.layers, [view.output]];
    frame.weights.forEach((matrix, l) => {
      const from = columns[l], to = columns[l + 1];
      if (!from || !to) return;
      matrix.forEach((row, j) => row.forEach((w, i) => {
        if (!from[i] || !to[j] || w === null) return;
        const [ax, ay] = centre(from[i], +1), [bx, by] = centre(to[j], -1);
        ctx.strokeStyle = Draw.css(w > 0 ? 1 : -1);
        ctx.globalAlpha = Math.min(1, 0.25 + Math.abs(w) / 2);
        ctx.lineWidth = Math.min(6, 0.4 + Math.abs(w) * 1.5);
        ctx.beginPath(); ctx.moveTo(ax, ay);
        ctx.bezierCurveTo((ax + bx) / 2, ay, (ax + bx) / 2, by, bx, by);
        ctx.stroke();
      }));
    });
    ctx.globalAlpha = 1;
  }

  return { build, draw, edges, el };
})();

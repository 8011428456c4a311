// borderflow dashboard: builds the lever panel from /api/config, runs a job, polls it,
// and draws the figures the server returns. No inline scripts, no outside requests.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const FIGS = ["encounters", "map", "sectors", "mexico", "deaths"];
  const PLOT_CONFIG = { displaylogo: false, responsive: true };
  let config = null;
  let current = null; // the chosen scenario's description

  function fmt(v, step) {
    if (step >= 1) return Math.round(v).toLocaleString("en");
    return Number(v).toFixed(step >= 0.1 ? 1 : 2);
  }

  function status(text, isError) {
    const el = $("status");
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  function monthInput(el, v) { el.value = v; }

  // a chart box is shown only once it has a chart: no empty white boxes before a run
  const drawn = new Map(); // box id -> the figure last drawn in it, as the server sent it

  function plot(id, fig) {
    const el = $(id);
    el.hidden = false;
    // the box as tall as the figure: plotly.js sizes a responsive chart to its box
    // when the window changes, and would squeeze a tall chart to the CSS minimum
    if (fig.layout && fig.layout.height) el.style.minHeight = fig.layout.height + 2 + "px";
    drawn.set(id, fig);
    // plotly.js keeps (and changes) the objects it is given: give it a copy
    window.Plotly.react(el, structuredClone(fig.data), structuredClone(fig.layout), PLOT_CONFIG);
  }

  function unplot(id) {
    const el = $(id);
    window.Plotly.purge(el);
    drawn.delete(id);
    el.hidden = true;
  }

  // a chart drawn while its box was out of view (another tab, a closed panel) is drawn
  // again at the box's width once it shows; its own height is kept
  function redraw(root) {
    for (const el of root.querySelectorAll(".fig:not([hidden])")) {
      const fig = drawn.get(el.id);
      const width = el._fullLayout ? el._fullLayout.width : 0;
      if (fig && el.clientWidth && Math.abs(width - el.clientWidth) > 2) {
        window.Plotly.newPlot(el, structuredClone(fig.data), structuredClone(fig.layout),
          PLOT_CONFIG);
      }
    }
  }

  const TABS = { run: ["tab-run", "run-form", "view-run"],
    forecast: ["tab-forecast", "forecast-form", "view-forecast"] };

  function selectTab(name) {
    for (const [key, [tab, form, view]] of Object.entries(TABS)) {
      const on = key === name;
      $(tab).setAttribute("aria-selected", on ? "true" : "false");
      $(form).hidden = !on;
      $(view).hidden = !on;
      if (on) redraw($(view));
    }
    document.body.dataset.tab = name;
  }

  function buildControls(sc) {
    const root = $("controls");
    root.replaceChildren();
    const groups = new Map();
    for (const c of sc.controls) {
      if (!groups.has(c.group)) {
        const fs = document.createElement("fieldset");
        const lg = document.createElement("legend");
        lg.textContent = c.group;
        fs.appendChild(lg);
        groups.set(c.group, fs);
        root.appendChild(fs);
      }
      const wrap = document.createElement("label");
      wrap.className = "control " + c.kind;
      wrap.title = (c.help ? c.help + ". " : "") + (c.doc || "") + (c.unit ? " [" + c.unit + "]" : "");
      const name = document.createElement("span");
      name.textContent = c.label;
      const input = document.createElement("input");
      input.dataset.control = c.id;
      input.id = "lever-" + c.id;
      if (c.kind === "toggle") {
        input.type = "checkbox";
        input.checked = c.value >= 0.5;
        input.dataset.initial = String(controlValue(input));
        wrap.append(input, name);
        input.addEventListener("change", () => {
          input.dataset.touched = "1";
          markChanged(wrap, input);
        });
      } else {
        input.type = "range";
        input.min = c.min; input.max = c.max; input.step = c.step;
        input.value = c.value;
        // the browser snaps an off-grid default (0.726923 with step 0.05 -> 0.75): compare
        // later positions with the snapped one, and send the control only once it is moved
        input.dataset.initial = String(controlValue(input));
        const out = document.createElement("output");
        out.textContent = fmt(c.value, c.step);
        wrap.append(name, out, input);
        input.addEventListener("input", () => {
          input.dataset.touched = "1";
          out.textContent = fmt(input.value, c.step);
          markChanged(wrap, input);
        });
      }
      groups.get(c.group).appendChild(wrap);
    }
  }

  function controlValue(input) {
    return input.type === "checkbox" ? (input.checked ? 1 : 0) : Number(input.value);
  }

  function moved(input) {
    return input.dataset.touched === "1" &&
      Math.abs(controlValue(input) - Number(input.dataset.initial)) > 1e-9;
  }

  function markChanged(wrap, input) {
    wrap.classList.toggle("changed", moved(input));
  }

  function chooseScenario(id) {
    current = config.scenarios.find((s) => s.id === id) || config.scenarios[0];
    $("scenario-title").textContent = current.title || current.id;
    $("scenario").title = current.title || current.id;
    $("question").textContent = current.question || "";
    monthInput($("start"), current.start);
    monthInput($("end"), current.end);
    buildControls(current);
  }

  function request() {
    const levers = {};
    for (const input of document.querySelectorAll("[data-control]")) {
      if (moved(input)) levers[input.dataset.control] = controlValue(input);
    }
    const body = { scenario: current.id, levers: levers, scale: Number($("scale").value) };
    if ($("start").value) body.start = $("start").value;
    if ($("end").value) body.end = $("end").value;
    return body;
  }

  let activeJob = null;

  function busy(on) {
    $("run").disabled = on;
    $("forecast").disabled = on;
    $("cancel").disabled = !on;
    document.body.classList.toggle("running", on);
  }

  function runDone(job) {
    draw(job.result);
    status("Done in " + job.seconds + " s (" + (job.result.changed_levers.length
      ? "levers changed: " + job.result.changed_levers.join(", ") : "no lever changed: the baseline") + ").");
    document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
  }

  function forecastDone(job) {
    selectTab("forecast");
    $("forecast-placeholder").hidden = true;
    plot("fig-forecast", job.result.figures.forecast);
    const latent = job.result.figures.latent;
    if (latent) plot("fig-latent", latent);
    else unplot("fig-latent");
    const last = job.result.rows[job.result.rows.length - 1];
    status("Forecast done in " + job.seconds + " s: " + last.month + " median " +
      Math.round(last.median).toLocaleString("en") + " (80% " + Math.round(last.p10).toLocaleString("en") +
      "–" + Math.round(last.p90).toLocaleString("en") + ").");
    document.body.dataset.forecasts = String(Number(document.body.dataset.forecasts || 0) + 1);
  }

  async function submit(url, body, done) {
    busy(true);
    $("progress").value = 0;
    shown = 0;
    status("Starting…");
    try {
      const r = await fetch(url, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await r.json();
      if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
      activeJob = data.job;
      await poll(data.job, done);
    } catch (err) {
      status(String(err.message || err), true);
    } finally {
      activeJob = null;
      busy(false);
    }
  }

  async function cancel() {
    if (!activeJob) return;
    status("Cancelling…");
    await fetch("/api/jobs/" + encodeURIComponent(activeJob) + "/cancel", { method: "POST" });
  }

  function forecastRun(ev) {
    if (ev) ev.preventDefault();
    return submit("/api/forecast", {
      scenario: current.id, start: $("fc-start").value, months: Number($("fc-months").value),
      runs: Number($("fc-runs").value), scale: Number($("scale").value),
      assimilate: $("fc-assimilate").checked, particles: Number($("fc-particles").value),
    }, forecastDone);
  }

  function run(ev) {
    if (ev) ev.preventDefault();
    return submit("/api/run", request(), runDone);
  }

  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

  const PHASES = { baseline: "Running the baseline", run: "Running with your levers",
    forecast: "Running the forecast ensemble", filter: "Running the particle filter",
    figures: "Drawing the charts" };

  // the server reports one 0-1 scale over the whole job (its phases weighted into it);
  // the bar never moves back, even if a report arrives out of order
  let shown = 0;

  async function poll(id, done) {
    for (;;) {
      const r = await fetch("/api/jobs/" + encodeURIComponent(id));
      const job = await r.json();
      if (!r.ok) throw new Error(job.error || ("HTTP " + r.status));
      shown = Math.max(shown, job.progress);
      $("progress").value = shown;
      if (job.status === "done") {
        done(job);
        return;
      }
      if (job.status === "error" || job.status === "cancelled") throw new Error(job.error);
      status((PHASES[job.phase] || "Working") + "… " + Math.round(100 * shown) + "%");
      await sleep(200);
    }
  }

  function number(v, digits) {
    return Number(v).toLocaleString("en", { minimumFractionDigits: digits || 0,
      maximumFractionDigits: digits || 0 });
  }

  function drawTotals(rows) {
    $("totals").hidden = false;
    const body = $("totals").querySelector("tbody");
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      const cells = [row.measure, number(row.run, row.digits), number(row.baseline, row.digits),
        row.percent === null ? "–" : (row.percent > 0 ? "+" : "") + row.percent + "%"];
      cells.forEach((text, i) => {
        const td = document.createElement("td");
        td.textContent = text;
        if (i === 3 && row.percent) td.className = row.percent > 0 ? "up" : "down";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
  }

  function draw(result) {
    selectTab("run");
    $("run-placeholder").hidden = true;
    for (const name of FIGS) {
      const fig = result.figures[name];
      if (fig) plot("fig-" + name, fig);
    }
    drawTotals(result.totals);
    $("scale-note").textContent = String(result.meta.scale);
  }

  function reset() {
    buildControls(current);
  }

  async function loadCalibration() {
    try {
      const r = await fetch("/api/calibration");
      const c = await r.json();
      if (!c.available) { $("calib-note").textContent = "No calibration is shipped."; return; }
      $("calib-note").textContent = "Fitted on " + c.span.join(" to ") + " (" + c.trials +
        " trials, seed " + c.seed + "); " + c.fitted_count + " fitted numbers, none per time window.";
      const body = $("calib").querySelector("tbody");
      for (const m of c.metrics) {
        const tr = document.createElement("tr");
        for (const v of [m.metric, m.before, m.after]) {
          const td = document.createElement("td");
          td.textContent = v;
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
    } catch (err) {
      $("calib-note").textContent = "Could not load the calibration: " + err;
    }
  }

  const METHOD_LABELS = {model_corrected: "model (corrected median)", model: "model (raw median)",
    ets: "ETS", sarima: "SARIMA", last_value: "last value", seasonal_naive: "seasonal naive"};

  let backtests = null; // drawn when the panel opens (a closed panel has no width)

  async function loadBacktests() {
    try {
      const r = await fetch("/api/backtests");
      const b = await r.json();
      if (!b.available) {
        $("backtest-note").textContent = "No backtests for the shipped calibration: " + b.reason + ".";
        return;
      }
      const cov = b.coverage.find((c) => c.method === "model_corrected");
      $("backtest-note").textContent = b.origins.length + " origins, each forecast " +
        "refitted on the data up to it (" + b.source + ")" +
        (cov ? "; the model's 80% bands covered " + Math.round(100 * cov.coverage80) +
          "% of the months." : ".");
      const by = {};
      for (const s of b.summary) {
        by[s.method] = by[s.method] || {};
        by[s.method][s.horizon] = s;
      }
      const body = $("backtest-summary").querySelector("tbody");
      for (const [method, h] of Object.entries(by)) {
        const tr = document.createElement("tr");
        const cells = [METHOD_LABELS[method] || method,
          h[6] ? h[6].mase.toFixed(2) : "", h[12] ? h[12].mase.toFixed(2) : "",
          h[6] ? h[6].mape.toFixed(1) + "%" : "", h[12] ? h[12].mape.toFixed(1) + "%" : ""];
        for (const v of cells) {
          const td = document.createElement("td");
          td.textContent = v;
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      backtests = b.figure;
      if ($("calibration").open) plot("fig-backtests", backtests);
    } catch (err) {
      $("backtest-note").textContent = "Could not load the backtests: " + err;
    }
  }

  async function init() {
    try {
      const r = await fetch("/api/config");
      config = await r.json();
      const sel = $("scenario");
      for (const s of config.scenarios) {
        const o = document.createElement("option");
        o.value = s.id; o.textContent = s.title;
        sel.appendChild(o);
      }
      sel.addEventListener("change", () => chooseScenario(sel.value));
      $("scale").min = config.scale.min; $("scale").max = config.scale.max;
      $("scale").value = config.scale.default;
      if (config.forecast_start) $("fc-start").value = config.forecast_start;
      const first = config.default_scenario || config.scenarios[0].id;
      sel.value = first;
      chooseScenario(first);
      $("cancel").addEventListener("click", cancel);
      $("cancel").disabled = true;
      $("run-form").addEventListener("submit", run);
      $("reset").addEventListener("click", reset);
      $("forecast-form").addEventListener("submit", forecastRun);
      $("tab-run").addEventListener("click", () => selectTab("run"));
      $("tab-forecast").addEventListener("click", () => selectTab("forecast"));
      selectTab("run");
      loadCalibration();
      loadBacktests();
      $("calibration").addEventListener("toggle", () => {
        if ($("calibration").open && backtests && !drawn.has("fig-backtests")) {
          plot("fig-backtests", backtests);
        } else if ($("calibration").open) {
          redraw($("calibration"));
        }
      });
      status("Ready: press Run for the baseline, or move a lever first.");
      document.body.dataset.ready = "1";
    } catch (err) {
      status("Could not load the configuration: " + err, true);
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();

// Charts on a phone: a chart drawn narrower than layout.meta.narrow.below_px switches to the layout
// flows.viz.narrow made for it (header, axis titles and labels wrapped, panels stacked) and wraps long
// legend entries; drawn wider again, it gets its own back.
// When every chart is settled, <html data-flows-charts="fitted"> (the layout test waits for it).
(function () {
  function wrap(text, width) {
    if (!text || text.length <= width || text.indexOf('<br>') >= 0) return text;
    var lines = [], line = '';
    text.split(' ').forEach(function (word) {
      if (line && (line + ' ' + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + ' ' + word : word;
    });
    if (line) lines.push(line);
    return lines.join('<br>');
  }
  function get(obj, path) {  // 'annotations[1].x' → obj.annotations[1].x; null when not set
    var value = path.replace(/\[(\d+)\]/g, '.$1').split('.')
      .reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
    return value === undefined ? null : value;
  }
  function fit(gd) {
    var narrow = gd.layout && gd.layout.meta && gd.layout.meta.narrow;
    if (!narrow || !window.Plotly) return Promise.resolve();
    var want = gd.offsetWidth < narrow.below_px;
    if (want === Boolean(gd._flowsNarrow)) return Promise.resolve();
    if (!gd._flowsWide) {
      var layout = {};
      Object.keys(narrow.layout).forEach(function (k) { layout[k] = get(gd.layout, k); });
      gd._flowsWide = {layout: layout, names: gd.data.map(function (t) { return t.name; })};
    }
    gd._flowsNarrow = want;
    var names = gd._flowsWide.names.map(function (name, i) {
      return want && gd.data[i].showlegend !== false ? wrap(name, narrow.legend_chars) : name;
    });
    return Plotly.update(gd, {name: names}, want ? narrow.layout : gd._flowsWide.layout);
  }
  function fitAll() {
    var charts = Array.prototype.slice.call(document.querySelectorAll('.js-plotly-plot'));
    return Promise.all(charts.map(fit)).then(function () {
      document.documentElement.setAttribute('data-flows-charts', 'fitted');
    });
  }
  window.addEventListener('load', fitAll);
  window.addEventListener('resize', fitAll);
})();

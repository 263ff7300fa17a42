// The text and marks of one drawn plotly chart (`gd`: a .js-plotly-plot element), in page pixels,
// for tests/chart_layout.py to check for collisions. Each text item is the four corners of its box
// (getBBox through the element's transform, so rotated labels keep their true shape).
(gd) => {
  const quad = (el) => {
    const b = el.getBBox();
    const m = el.getScreenCTM();
    if (!m || b.width < 0.5 || b.height < 0.5) return null;
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => { const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; });
  };
  const items = [];
  const add = (kind, el, group, label) => {
    const q = quad(el);
    if (q) items.push({kind, group: group || kind, label: label ?? (el.textContent || '').trim().slice(0, 1000), quad: q});
  };
  gd.querySelectorAll('text.gtitle').forEach(e => add('title', e));
  gd.querySelectorAll('text.gtitle-subtitle').forEach(e => add('note and source', e));
  gd.querySelectorAll('g.legend').forEach((e, i) => add('legend', e.querySelector('rect.bg') || e, 'legend' + i, 'legend'));
  gd.querySelectorAll('.infolayer text').forEach(e => {
    const c = e.getAttribute('class') || '';
    if (/^[xy]\d*title$/.test(c)) add('axis title', e, c);
  });
  gd.querySelectorAll('g.annotation').forEach((e, i) =>
    add('annotation', e.querySelector('g.annotation-text-g') || e, 'annotation' + i));
  gd.querySelectorAll('g.colorbar').forEach((e, i) => add('colour bar', e, 'colorbar' + i, 'colour bar'));
  gd.querySelectorAll('g.xaxislayer-above > g, g.yaxislayer-above > g').forEach(e => {
    const c = e.getAttribute('class') || '';
    const t = e.querySelector('text');
    if (t && /tick$/.test(c) && t.textContent.trim()) add('tick label', t, c);
  });
  gd.querySelectorAll('g.textpoint text').forEach((e, i) => add('data label', e, 'datalabel' + i));
  // The toolbar (an HTML element, shown on hover): where it would sit whenever it is displayed at all.
  const bar = gd.querySelector('.modebar');
  if (bar && bar.offsetParent !== null) {
    const b = bar.getBoundingClientRect();
    if (b.width > 0.5 && b.height > 0.5)
      items.push({kind: 'toolbar', group: 'toolbar', label: 'toolbar',
                  quad: [[b.left, b.top], [b.right, b.top], [b.right, b.bottom], [b.left, b.bottom]]});
  }

  const r = gd.querySelector('svg.main-svg').getBoundingClientRect();
  const figure = [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom]];

  // Data drawn in the plots: points along every line (every 2 px) and the corners of markers and bars.
  const visible = (el) => parseFloat(getComputedStyle(el).opacity || '1') > 0;
  const marks = [];
  gd.querySelectorAll('.scatterlayer path.js-line').forEach(p => {
    const n = p.getTotalLength(); const m = p.getScreenCTM();
    if (!m || !n || !visible(p)) return;
    for (let l = 0; l <= n; l += 2) {
      const q = p.getPointAtLength(l); const s = new DOMPoint(q.x, q.y).matrixTransform(m);
      marks.push([s.x, s.y]);
    }
  });
  gd.querySelectorAll('.scatterlayer path.point, .barlayer path').forEach(p => {
    if (!visible(p) || !visible(p.parentNode)) return;
    const q = quad(p); if (q) q.forEach(c => marks.push(c));
  });

  // Tick labels of log axes with the value each marks.
  const logLabels = [];
  const full = gd._fullLayout || {};
  Object.keys(full).filter(k => /^[xy]axis\d*$/.test(k) && full[k].type === 'log').forEach(k => {
    const id = full[k]._id;
    gd.querySelectorAll(`g.${id}tick > text`).forEach(t => {
      if (t.__data__) logLabels.push({axis: id, text: t.textContent, value: Math.pow(10, t.__data__.x)});
    });
  });
  const title = gd.querySelector('text.gtitle');
  return {title: title ? title.textContent : (gd.id || 'untitled chart'), figure, items, marks, logLabels};
}

// The form editor for a policy's typed settings: fields generated from the policy JSON Schema the engine
// validates with (served at /ui/schema/policy.schema.json), editing the `settings:` block of the YAML text.
import { h, fill } from './dom.js';

let schemaPromise = null;
const policySchema = () => (schemaPromise ??= fetch('schema/policy.schema.json', { cache: 'no-store' }).then((r) => {
  if (!r.ok) throw new Error(`policy schema: HTTP ${r.status}`);
  return r.json();
}));

const resolve = (schema, s) => {
  for (let i = 0; s && s.$ref && i < 8; i++) s = schema.$defs[s.$ref.replace('#/$defs/', '')];
  return s || {};
};
const isScalar = (v) => v === null || typeof v !== 'object';

/** A copy without the objects the form emptied (an object left with no field set is no setting at all). */
function prune(v) {
  if (isScalar(v)) return v;
  if (Array.isArray(v)) return v.map(prune);
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x);
    if (p !== undefined && !(p && typeof p === 'object' && !Array.isArray(p) && !Object.keys(p).length)) out[k] = p;
  }
  return out;
}

/**
 * Builds the form for a policy type. onChange(settings) is called with the whole settings object after each
 * edit; set(settings) redraws the form from settings parsed out of the YAML (keys it does not know are kept).
 */
export async function settingsForm(onChange) {
  const schema = await policySchema();
  const root = h('div', { id: 'settings-fields' });
  let type = null, values = {};
  const changed = () => onChange(prune(values));

  const setAt = (obj, key, v) => { if (v === undefined) delete obj[key]; else obj[key] = v; };

  function scalarInput(id, s, value, write) {
    if (s.enum) {
      const sel = h('select', { id }, h('option', { value: '' }, '(not set)'), s.enum.map((e) => h('option', { value: String(e) }, String(e))));
      sel.value = value === undefined ? '' : String(value);
      sel.addEventListener('change', () => write(sel.value === '' ? undefined : sel.value));
      return sel;
    }
    if (s.type === 'boolean') {
      const sel = h('select', { id }, ['', 'true', 'false'].map((e) => h('option', { value: e }, e || '(not set)')));
      sel.value = value === undefined ? '' : String(value);
      sel.addEventListener('change', () => write(sel.value === '' ? undefined : sel.value === 'true'));
      return sel;
    }
    const numeric = s.type === 'integer' || s.type === 'number';
    const input = h('input', { id, type: numeric ? 'number' : 'text', value: value === undefined ? '' : String(value),
      min: s.minimum, max: s.maximum, step: s.type === 'integer' ? 1 : 'any', spellcheck: 'false' });
    input.addEventListener('input', () => {
      const raw = input.value.trim();
      if (raw === '') return write(undefined);
      const n = Number(raw);
      // a number the schema wants is sent as a number; anything else as typed, for the server to diagnose
      write(numeric && Number.isFinite(n) ? n : raw);
    });
    return input;
  }

  function field(container, path, key, s0) {
    const s = resolve(schema, s0);
    const id = `setting-${[...path, key].join('-')}`;
    const value = container[key];
    const label = h('label', { for: id, title: s.description || '' }, key);
    const row = (control) => h('div', { class: 'field', 'data-path': [...path, key].join('.') }, label, control,
      s.description ? h('small', { class: 'muted' }, s.description) : '');
    if (s.type === 'object' && s.properties) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) container[key] = {};
      const inner = container[key]; // emptied objects are pruned when the YAML is written
      return h('fieldset', { 'data-path': [...path, key].join('.') }, h('legend', {}, key),
        Object.entries(s.properties).map(([k, ks]) => field(inner, [...path, key], k, ks)));
    }
    if (s.type === 'array') {
      const items = resolve(schema, s.items);
      const list = Array.isArray(value) ? value : [];
      if (items.type === 'object' && items.properties) return row(objectList(container, key, list, items, [...path, key]));
      if (!items.type || ['string', 'integer', 'number'].includes(items.type)) {
        const area = h('textarea', { id, rows: Math.max(2, list.length + 1), spellcheck: 'false', 'aria-describedby': `${id}-hint` });
        area.value = list.join('\n');
        area.addEventListener('input', () => {
          const lines = area.value.split('\n').map((l) => l.trim()).filter(Boolean)
            .map((l) => (items.type === 'integer' || items.type === 'number') && Number.isFinite(Number(l)) ? Number(l) : l);
          setAt(container, key, lines.length ? lines : undefined);
          changed();
        });
        return h('div', { class: 'field', 'data-path': [...path, key].join('.') }, label, area, h('small', { class: 'muted', id: `${id}-hint` }, 'one per line'));
      }
      return row(h('span', { class: 'muted' }, 'edit in YAML'));
    }
    if (s.anyOf || s.oneOf || s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || s.enum) {
      return row(scalarInput(id, s, isScalar(value) ? value : undefined, (v) => { setAt(container, key, v); changed(); }));
    }
    return row(h('span', { class: 'muted' }, 'edit in YAML'));
  }

  function objectList(container, key, list, items, path) {
    const wrap = h('div', { class: 'object-list' });
    const draw = () => {
      fill(wrap, list.map((item, i) => h('div', { class: 'item', 'data-index': i },
        Object.entries(items.properties).map(([k, ks]) => field(item, [...path, String(i)], k, ks)),
        h('button', { type: 'button', class: 'link remove', onclick: () => { list.splice(i, 1); setAt(container, key, list.length ? list : undefined); draw(); changed(); } }, 'remove'))),
      h('button', { type: 'button', class: 'add', onclick: () => { list.push({}); setAt(container, key, list); draw(); } }, `add ${key.replace(/s$/, '')}`));
    };
    draw();
    return wrap;
  }

  function draw() {
    const def = type && schema.$defs[`${type}Settings`];
    if (!def) return fill(root, h('p', { class: 'muted' }, `No form for type ${type ?? '(none)'}: edit it in YAML.`));
    const props = Object.entries(def.properties || {});
    if (!props.length) return fill(root, h('p', { class: 'muted', id: 'settings-none' }, def.description || 'This type takes no settings.'));
    const unknown = Object.keys(values).filter((k) => !(def.properties || {})[k]);
    fill(root, props.map(([k, s]) => field(values, [], k, s)),
      unknown.length ? h('p', { class: 'error' }, `Not settings of ${type}: ${unknown.join(', ')} (edit them in YAML)`) : '');
  }

  return {
    element: h('section', { id: 'settings-form', 'aria-label': 'Settings form' }, h('h2', {}, 'Settings'),
      h('p', { class: 'muted' }, 'Fields from the policy schema. The form rewrites the YAML\'s settings block (comments inside it are dropped); rules, conditions and anything else stay in YAML.'), root),
    set(newType, settings) {
      if (root.contains(document.activeElement)) return; // never redraw under the user's cursor
      type = newType;
      values = settings && typeof settings === 'object' && !Array.isArray(settings) ? structuredClone(settings) : {};
      draw();
    },
  };
}

const scalarYaml = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Block YAML for a settings value, every string double-quoted (JSON strings are YAML). */
export function toYaml(value, indent) {
  const pad = ' '.repeat(indent);
  const out = [];
  for (const [k, v] of Object.entries(value)) {
    if (isScalar(v)) out.push(`${pad}${k}: ${scalarYaml(v)}`);
    else if (Array.isArray(v)) {
      if (!v.length) { out.push(`${pad}${k}: []`); continue; }
      out.push(`${pad}${k}:`);
      for (const item of v) {
        if (isScalar(item)) out.push(`${pad}  - ${scalarYaml(item)}`);
        else {
          const lines = toYaml(item, indent + 4);
          if (!lines.length) out.push(`${pad}  - {}`);
          else out.push(`${pad}  - ${lines[0].trimStart()}`, ...lines.slice(1));
        }
      }
    } else {
      const lines = toYaml(v, indent + 2);
      out.push(lines.length ? `${pad}${k}:` : `${pad}${k}: {}`, ...lines);
    }
  }
  return out;
}

/** The YAML text with spec.settings replaced by settings (added under spec when it has none). */
export function withSettings(text, settings) {
  const lines = text.split('\n');
  const spec = lines.findIndex((l) => /^spec:\s*(#.*)?$/.test(l));
  if (spec < 0) return text;
  let end = spec + 1;
  while (end < lines.length && (/^\s*(#.*)?$/.test(lines[end]) || /^\s/.test(lines[end]))) end++;
  const child = lines.slice(spec + 1, end).find((l) => /^\s+\S/.test(l) && !/^\s*#/.test(l));
  const indent = child ? child.match(/^\s+/)[0].length : 2;
  const pad = ' '.repeat(indent);
  const body = toYaml(settings, indent + 2);
  const block = body.length ? [`${pad}settings:`, ...body] : [`${pad}settings: {}`];
  const at = lines.findIndex((l, i) => i > spec && i < end && l.startsWith(`${pad}settings:`));
  if (at < 0) {
    let last = end;
    while (last > spec + 1 && /^\s*$/.test(lines[last - 1])) last--;
    lines.splice(last, 0, ...block);
    return lines.join('\n');
  }
  let stop = at + 1;
  while (stop < end && (/^\s*$/.test(lines[stop]) || lines[stop].match(/^\s*/)[0].length > indent)) stop++;
  while (stop > at + 1 && /^\s*$/.test(lines[stop - 1])) stop--;
  lines.splice(at, stop - at, ...block);
  return lines.join('\n');
}

// The AuditGen auditor console: a client of the public read API (/v1/audit), in the browser's own session.
// Every value from the log is put into the page with textContent: it is text, never markup.
(() => {
  'use strict';
  const api = document.body.dataset.api;
  const $ = (id) => document.getElementById(id);
  const form = $('search');
  const status = $('status');
  let nextCursor = null;
  let currentList = null;

  const el = (tag, text, attributes) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  };

  const say = (message, isError) => {
    status.textContent = message;
    status.classList.toggle('error', !!isError);
  };

  const utc = (localValue) => (localValue ? localValue.length === 16 ? `${localValue}:00Z` : `${localValue}Z` : null);

  const filters = () => {
    const value = (id) => $(id).value.trim();
    return {
      actorId: value('actorId'), ownerId: value('ownerId'), entityType: value('entityType'), entityId: value('entityId'),
      action: value('action'), since: utc(value('since')), until: utc(value('until')),
    };
  };

  const query = (parameters) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters)) if (value) search.set(name, value);
    const text = search.toString();
    return text ? `?${text}` : '';
  };

  // The list route for the given filters: the entity's history, an actor's audit, an owner's feed, or an action's records.
  const listPath = (f) => {
    const e = encodeURIComponent;
    if (f.entityType && f.entityId) return `${api}/entities/${e(f.entityType)}/${e(f.entityId)}/activities`;
    if (f.actorId) return `${api}/actors/${e(f.actorId)}/activities`;
    if (f.ownerId) return `${api}/owners/${e(f.ownerId)}/activities`;
    if (f.action) return `${api}/actions/${e(f.action)}/activities`;
    return null;
  };

  async function getJson(url) {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) throw new Error('You are not signed in.');
    if (response.status === 403) throw new Error('You may not read this: the audit read permission is needed.');
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch { /* not problem details */ }
      const errors = problem && problem.errors ? Object.entries(problem.errors).map(([name, messages]) => `${name}: ${messages.join(' ')}`) : [];
      throw new Error(errors.length ? errors.join(' ') : (problem && (problem.detail || problem.title)) || `The API answered ${response.status}.`);
    }
    return response.json();
  }

  // A person's name when the directory knows it (the id stays one hover away), else the id.
  const whoCell = (id, name) => el('td', name || id, name ? { title: id } : { class: 'id' });

  function recordRow(item) {
    const row = el('tr', null, { 'data-id': item.id, 'data-action': item.action });
    row.append(el('td', item.when.replace('T', ' ').replace(/(\.\d+)?Z$/, '')));
    row.append(el('td', item.action));
    const entityCell = el('td');
    const open = el('button', item.entity, { type: 'button', class: 'entity', title: `Open the timeline of ${item.entity}` });
    open.addEventListener('click', () => openTimeline(item.entity));
    entityCell.append(open);
    row.append(entityCell);
    row.append(whoCell(item.actor, item.actorName));
    row.append(whoCell(item.owner, item.ownerName));
    row.append(el('td', Object.keys(item.details).length ? JSON.stringify(item.details, readable) : '', { class: 'details' }));
    return row;
  }

  async function loadPage(append) {
    const page = await getJson(`${currentList.path}${query({ ...currentList.window, cursor: append ? nextCursor : null })}`);
    const body = $('records').tBodies[0];
    if (!append) body.replaceChildren();
    for (const item of page.items) body.append(recordRow(item));
    nextCursor = page.nextCursor;
    $('next-page').hidden = !nextCursor;
    $('results').hidden = false;
    const shown = body.rows.length;
    say(shown === 0 ? 'No records match.' : `${shown} record${shown === 1 ? '' : 's'} shown${nextCursor ? '; more on the next page' : ''}.`);
  }

  async function loadSummary(f) {
    const section = $('summary');
    const kind = f.actorId && !(f.entityType && f.entityId) ? 'actors' : null;
    if (!kind) { section.hidden = true; return; }
    const summary = await getJson(`${api}/actors/${encodeURIComponent(f.actorId)}/summary${query({ since: f.since, until: f.until })}`);
    $('summary-title').textContent = `What ${f.actorId} did, per action`;
    $('summary-caption').textContent = `${summary.total} record${summary.total === 1 ? '' : 's'} in all`;
    const body = $('summary-table').tBodies[0];
    body.replaceChildren();
    for (const count of summary.actions) {
      const row = el('tr', null, { 'data-action': count.action });
      row.append(el('th', count.action, { scope: 'row' }));
      row.append(el('td', count.count, { class: 'count' }));
      const bar = el('td');
      const meter = el('progress', `${count.count} of ${summary.total}`, { max: String(summary.total), value: String(count.count), 'aria-label': `${count.action}: ${count.count} of ${summary.total}` });
      bar.append(meter);
      row.append(bar);
      body.append(row);
    }
    section.hidden = false;
  }

  function setExports(f) {
    const parameters = { actorId: f.actorId, ownerId: f.ownerId, action: f.action, since: f.since, until: f.until };
    if (f.entityType && f.entityId) { parameters.entityType = f.entityType; parameters.entityId = f.entityId; }
    $('export-csv').href = `${api}/export${query({ format: 'csv', ...parameters })}`;
    $('export-ndjson').href = `${api}/export${query({ format: 'ndjson', ...parameters })}`;
  }

  // Personal data whose subject was erased arrives as {"erased": true}: a person reads the word.
  const isErased = (value) => value !== null && typeof value === 'object' && value.erased === true && Object.keys(value).length === 1;
  const readable = (key, value) => (isErased(value) ? 'erased' : value);

  // A value as a person reads it: text in quotes, erased personal data as the word, everything else as JSON.
  const shown = (value) => (typeof value === 'string' ? `"${value}"` : isErased(value) ? 'erased' : JSON.stringify(value));

  // One line per changed property: Title: "Draft" → "Ship it"; a withheld value says so and shows nothing.
  function propertyText(kind, property) {
    if (property.withheld) return `${property.name}: changed (value withheld)`;
    const cut = property.truncated ? ' (cut)' : '';
    const before = property.old === undefined ? null : property.old;
    const after = property.new === undefined ? null : property.new;
    if (kind === 'added') return `${property.name}: ${shown(after)}${cut}`;
    if (kind === 'deleted') return `${property.name}: was ${shown(before)}${cut}`;
    return `${property.name}: ${shown(before)} → ${shown(after)}${cut}`;
  }

  function changeList(changes, entity) {
    const list = el('ul', null, { class: 'changes' });
    for (const change of changes) {
      const heading = change.entity === entity ? change.kind : `${change.kind} ${change.entity}`;
      const item = el('li', null, { 'data-kind': change.kind });
      item.append(el('span', heading, { class: 'change-kind' }));
      const properties = el('ul');
      for (const property of change.properties) properties.append(el('li', propertyText(change.kind, property), { class: 'diff' }));
      item.append(properties);
      list.append(item);
    }
    return list;
  }

  async function showState(type, id, when) {
    try {
      const state = await getJson(`${api}/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}/state${query({ at: when })}`);
      const table = $('state-properties');
      table.replaceChildren();
      for (const [name, value] of Object.entries(state.properties)) {
        table.append(el('dt', name), el('dd', shown(value)));
      }
      for (const name of state.withheld) table.append(el('dt', name), el('dd', '(value withheld)'));
      const when2 = state.at.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
      $('state-title').textContent = `${state.entity} at ${when2}`;
      $('state-note').textContent = state.isDeleted ? 'Deleted by then.'
        : state.isComplete ? 'Complete: its creation was recorded.' : 'Partial: only the changes recorded so far; its creation was not recorded.';
      $('state').hidden = false;
      $('state-title').focus();
    } catch (error) {
      say(error.message, true);
    }
  }

  async function openTimeline(entity) {
    const hash = entity.indexOf('#');
    const type = entity.slice(0, hash);
    const id = entity.slice(hash + 1);
    try {
      const page = await getJson(`${api}/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}/activities?order=oldest&limit=1000`);
      const list = $('timeline-list');
      list.replaceChildren();
      for (const item of page.items) {
        const entry = el('li', null, { 'data-action': item.action });
        entry.append(el('span', `${item.when.replace('T', ' ').replace(/(\.\d+)?Z$/, '')}  ${item.action} by ${item.actorName || item.actor}`));
        if (item.changes && item.changes.length) entry.append(changeList(item.changes, entity));
        const at = el('button', 'State here', { type: 'button', class: 'state-at', title: `${entity} as it was after this record` });
        at.addEventListener('click', () => showState(type, id, item.when));
        entry.append(at);
        list.append(entry);
      }
      $('state').hidden = true;
      $('timeline-title').textContent = `Timeline of ${entity}`;
      $('timeline').hidden = false;
      $('timeline-title').focus();
    } catch (error) {
      say(error.message, true);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = filters();
    const path = listPath(f);
    if (!path) { say('Give an actor, an owner, an entity (type and id) or an action.', true); return; }
    currentList = { path, window: { since: f.since, until: f.until, limit: '50', order: 'newest' } };
    nextCursor = null;
    say('Searching…');
    setExports(f);
    try {
      await Promise.all([loadPage(false), loadSummary(f)]);
    } catch (error) {
      $('results').hidden = true;
      $('summary').hidden = true;
      say(error.message, true);
    }
  });

  $('next-page').addEventListener('click', async () => {
    try { await loadPage(true); } catch (error) { say(error.message, true); }
  });

  $('close-timeline').addEventListener('click', () => { $('timeline').hidden = true; $('state').hidden = true; $('search-button').focus(); });
})();

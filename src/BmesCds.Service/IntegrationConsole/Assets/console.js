// BmesCds console: sends a hook request to POST /console/evaluate and shows the cards as an EHR would, next to the
// explanation the service computed. Plain script, no build step, no dependencies.
//
// Safety: everything shown comes from requests and records a user pasted, so it is text. The page never hands a string
// to the browser's HTML parser: every string becomes a text node, and the few elements (card detail Markdown, links)
// are created one by one with createElement. Links open only for http(s) URLs.
(function () {
  'use strict';

  const byId = (id) => document.getElementById(id);
  const ui = {
    keyPanel: byId('key-panel'),
    keyMessage: byId('key-message'),
    key: byId('key'),
    keyUse: byId('key-use'),
    sample: byId('sample'),
    sampleNote: byId('sample-note'),
    now: byId('now'),
    request: byId('request'),
    send: byId('send'),
    status: byId('status'),
    cards: byId('cards'),
    explanation: byId('explanation'),
  };

  let managementKey = null;
  let samples = [];
  let retryAfterKey = null;

  /** An element with attributes (fixed names chosen here) and children (strings become text nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** The URL when it is absolute http(s), else null: no javascript:, data: or relative links. */
  function safeUrl(text) {
    try {
      const url = new URL(String(text));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(url, label) {
    const href = safeUrl(url);
    return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : el('span', { class: 'unsafe-link' }, label);
  }

  // ---- Markdown of card details: paragraphs, bullet and numbered lists, **bold**, *italic*, `code`, [links](http...).

  const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\[([^\]]+)\]\(([^)\s]+)\)/;

  function appendInline(parent, text) {
    let rest = text;
    while (rest.length > 0) {
      const match = INLINE.exec(rest);
      if (!match) {
        parent.append(rest);
        return;
      }
      if (match.index > 0) parent.append(rest.slice(0, match.index));
      if (match[1] !== undefined) {
        parent.append(el('code', null, match[1]));
      } else if (match[2] !== undefined) {
        const strong = el('strong');
        appendInline(strong, match[2]);
        parent.append(strong);
      } else if (match[3] !== undefined) {
        const em = el('em');
        appendInline(em, match[3]);
        parent.append(em);
      } else if (safeUrl(match[5])) {
        const anchor = el('a', { href: safeUrl(match[5]), target: '_blank', rel: 'noopener noreferrer' });
        appendInline(anchor, match[4]);
        parent.append(anchor);
      } else {
        parent.append(match[0]);
      }
      rest = rest.slice(match.index + match[0].length);
    }
  }

  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    let paragraph = [];
    let list = null;
    const flushParagraph = () => {
      if (paragraph.length === 0) return;
      const p = el('p');
      appendInline(p, paragraph.join(' '));
      fragment.append(p);
      paragraph = [];
    };
    const flushList = () => {
      if (list) fragment.append(list.node);
      list = null;
    };
    for (const line of String(text).replace(/\r\n?/g, '\n').split('\n')) {
      const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
      if (item) {
        flushParagraph();
        const kind = /\d/.test(item[1]) ? 'ol' : 'ul';
        if (!list || list.kind !== kind) {
          flushList();
          list = { kind, node: el(kind) };
        }
        const li = el('li');
        appendInline(li, item[2]);
        list.node.append(li);
      } else if (line.trim() === '') {
        flushParagraph();
        flushList();
      } else if (list && /^\s{2,}\S/.test(line)) {
        appendInline(list.node.lastChild, ' ' + line.trim());
      } else {
        flushList();
        paragraph.push(line.trim());
      }
    }
    flushParagraph();
    flushList();
    return fragment;
  }

  // ---- Talking to the service

  class KeyNeeded extends Error {}

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (managementKey) headers.Authorization = 'Bearer ' + managementKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
    if (response.status === 401) {
      const wasSent = managementKey !== null;
      managementKey = null;
      askForKey(wasSent ? 'That key was refused. Enter one of Management:ApiKeys.' : null);
      throw new KeyNeeded();
    }
    return response;
  }

  function askForKey(message) {
    if (message) ui.keyMessage.textContent = message;
    ui.keyPanel.hidden = false;
    ui.key.focus();
  }

  ui.keyUse.addEventListener('click', () => {
    const key = ui.key.value.trim();
    if (!key) return;
    managementKey = key;
    ui.key.value = '';
    ui.keyPanel.hidden = true;
    const retry = retryAfterKey;
    retryAfterKey = null;
    if (retry) retry();
  });
  ui.key.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') ui.keyUse.click();
  });

  function setStatus(text, isError) {
    ui.status.textContent = text;
    ui.status.classList.toggle('error', Boolean(isError));
  }

  async function loadSamples() {
    try {
      const response = await call('GET', '/console/samples');
      if (!response.ok) {
        setStatus(`Samples not loaded: HTTP ${response.status}`, true);
        return;
      }
      const list = await response.json();
      samples = list.samples || [];
      ui.now.dataset.writtenFor = list.writtenFor || '';
      for (const sample of samples) {
        ui.sample.append(el('option', { value: sample.id }, `${sample.title} (${sample.hook})`));
      }
      ui.sample.dataset.loaded = String(samples.length);
    } catch (failure) {
      if (failure instanceof KeyNeeded) {
        retryAfterKey = loadSamples;
      } else {
        setStatus('Samples not loaded: the service cannot be reached.', true);
      }
    }
  }

  ui.sample.addEventListener('change', () => {
    const sample = samples.find((s) => s.id === ui.sample.value);
    ui.sampleNote.hidden = true;
    if (!sample) return;
    ui.request.value = JSON.stringify(sample.request, null, 2);
    // The samples' dates count back from one instant: evaluate them there, or their X-rays grow old.
    if (ui.now.dataset.writtenFor) ui.now.value = ui.now.dataset.writtenFor;
    if (sample.note) {
      ui.sampleNote.textContent = sample.note;
      ui.sampleNote.hidden = false;
    }
  });

  async function send() {
    const text = ui.request.value.trim();
    if (!text) {
      setStatus('Paste a hook request or pick a sample first.', true);
      return;
    }
    const now = ui.now.value.trim();
    const path = '/console/evaluate' + (now ? '?now=' + encodeURIComponent(now) : '');
    ui.send.disabled = true;
    setStatus('Sending…');
    try {
      const response = await call('POST', path, text);
      let answer = null;
      try {
        answer = await response.json();
      } catch {
        answer = null;
      }
      if (answer && answer.explanation) {
        showAnswer(answer);
        const cards = answer.response && Array.isArray(answer.response.cards) ? answer.response.cards.length : null;
        setStatus(`HTTP ${answer.status}` + (cards === null ? ' (refused)' : ` · ${cards} card${cards === 1 ? '' : 's'}`)
          + ` · ${answer.explanation.timings.total} ms`, answer.status !== 200);
      } else {
        showRefusalOnly(response.status, answer);
        setStatus(`HTTP ${response.status}`, true);
      }
      ui.status.dataset.status = String(answer && answer.status ? answer.status : response.status);
    } catch (failure) {
      if (failure instanceof KeyNeeded) {
        retryAfterKey = send;
        setStatus('A management key is needed.', true);
      } else {
        setStatus('The service cannot be reached.', true);
      }
    } finally {
      ui.send.disabled = false;
    }
  }

  ui.send.addEventListener('click', send);

  // ---- Cards

  function showAnswer(answer) {
    const explanation = answer.explanation;
    ui.cards.replaceChildren();
    if (answer.response && Array.isArray(answer.response.cards)) {
      if (answer.response.cards.length === 0) {
        ui.cards.append(el('p', { class: 'no-cards' }, 'No cards'));
        const silences = explanation.judgements.filter((j) => j.silence);
        if (silences.length > 0) {
          ui.cards.append(el('ul', { class: 'silences' },
            silences.map((j) => el('li', { class: 'silence' }, `${j.subject}: ${j.silence.why} (${j.silence.code})`))));
        } else if (explanation.judgements.length === 0) {
          ui.cards.append(el('p', { class: 'silences' }, 'Nothing was judged: no imaging order of the hip, knee or ankle, or no painful joint.'));
        }
      }
      for (const card of answer.response.cards) ui.cards.append(renderCard(card));
    } else {
      ui.cards.append(renderOutcome(answer.status, answer.response));
    }
    renderExplanation(explanation);
  }

  function showRefusalOnly(status, body) {
    ui.cards.replaceChildren(renderOutcome(status, body));
    ui.explanation.replaceChildren(el('p', { class: 'placeholder' }, 'The request was refused before the pipeline ran: nothing to explain.'));
  }

  /** An OperationOutcome as the refusal it is. */
  function renderOutcome(status, outcome) {
    const issues = outcome && Array.isArray(outcome.issue) ? outcome.issue : [];
    return el('div', { class: 'refusal', 'data-status': status },
      el('strong', null, `Refused: HTTP ${status}`),
      el('ul', null, issues.map((issue) => el('li', null,
        issue.expression && issue.expression.length ? el('code', null, issue.expression.join(', ')) : null,
        issue.expression && issue.expression.length ? ' ' : null,
        issue.diagnostics || issue.code || 'no details'))));
  }

  function renderCard(card) {
    const indicator = ['info', 'warning', 'critical'].includes(card.indicator) ? card.indicator : 'info';
    const source = card.source || {};
    const topic = source.topic;
    const node = el('article', { class: `card indicator-${indicator}`, 'data-indicator': indicator, 'data-topic': topic ? topic.code : null },
      el('div', { class: 'card-head' }, el('span', { class: 'indicator' }, indicator), el('span', { class: 'card-summary' }, card.summary)),
      el('div', { class: 'card-source' }, 'Source: ', source.url ? link(source.url, source.label || source.url) : (source.label || ''),
        topic ? ` · ${topic.display || topic.code} (${topic.code})` : null));
    if (card.detail) {
      const detail = el('div', { class: 'card-detail' });
      detail.append(renderMarkdown(card.detail));
      node.append(detail);
    }
    if (Array.isArray(card.suggestions) && card.suggestions.length > 0) {
      node.append(el('div', { class: 'suggestions' }, card.suggestions.map(renderSuggestion)));
    }
    if (Array.isArray(card.links) && card.links.length > 0) {
      node.append(el('div', { class: 'card-links' }, card.links.map((l) => link(l.url, l.label))));
    }
    if (Array.isArray(card.overrideReasons) && card.overrideReasons.length > 0) {
      node.append(el('details', { class: 'override-reasons' }, el('summary', null, 'Override reasons'),
        el('ul', null, card.overrideReasons.map((r) => el('li', null, r.display || r.code)))));
    }
    return node;
  }

  function renderSuggestion(suggestion) {
    return el('details', { class: 'suggestion' },
      el('summary', null, suggestion.label, suggestion.isRecommended ? el('span', { class: 'recommended' }, 'recommended') : null),
      el('ul', { class: 'actions' }, (suggestion.actions || []).map((action) => el('li', null,
        el('strong', null, action.type), ' ', action.description || '',
        action.resourceId ? [' ', el('code', null, action.resourceId)] : null,
        action.resource ? el('pre', null, JSON.stringify(action.resource, null, 2)) : null))));
  }

  // ---- Explanation

  function table(headers, rows, attributes) {
    return el('table', attributes, el('thead', null, el('tr', null, headers.map((h) => el('th', null, h)))), el('tbody', null, rows));
  }

  function renderExplanation(explanation) {
    const parts = [
      el('p', { class: 'explanation-head' },
        `HTTP ${explanation.status} · ${explanation.service} (${explanation.hook}) · hookInstance ${explanation.hookInstance || '-'} · evaluated at ${explanation.evaluatedAt}`),
    ];
    if (explanation.refusal) {
      parts.push(el('div', { class: 'refusal', id: 'refusal' },
        el('strong', null, `Refused (${explanation.status}): `), explanation.refusal.field ? el('code', null, explanation.refusal.field) : '(body)', ' ', explanation.refusal.message));
    } else if (explanation.judgements.length === 0) {
      parts.push(el('p', { class: 'placeholder' }, 'Nothing was judged: no imaging order of the hip, knee or ankle (order hooks), or no painful joint without an order (patient-view).'));
    }
    for (const judgement of explanation.judgements) parts.push(renderJudgement(judgement));

    parts.push(el('h3', { class: 'section' }, 'Prefetch keys'));
    parts.push(table(['Key', 'Source', 'Resources', 'Detail'], explanation.prefetch.map((key) =>
      el('tr', { 'data-key': key.key, 'data-source': key.source },
        el('td', null, el('code', null, key.key)),
        el('td', { class: 'source' }, key.source),
        el('td', null, String(key.resources)),
        el('td', null,
          key.fetch ? `fetch ${key.fetch.outcome}, HTTP ${key.fetch.httpStatus ?? '-'}, ${key.fetch.pages} page(s), ${key.fetch.milliseconds} ms` : null,
          key.fetch && key.detail ? '; ' : null,
          key.detail || null))), { id: 'prefetch-keys' }));
    parts.push(el('p', { class: 'legend' },
      'supplied: in the request\'s prefetch · fetched: read from fhirServer · none: no data · failed: could not be had · not-fetched: not read (no FHIR access)'));

    if (explanation.tolerated && explanation.tolerated.length > 0) {
      parts.push(el('h3', { class: 'section' }, 'Tolerated FHIR content'));
      parts.push(el('ul', { id: 'tolerated' }, explanation.tolerated.map((issue) => el('li', null, `${issue.code} at ${issue.location || '(resource)'}`))));
    }

    const t = explanation.timings;
    parts.push(el('h3', { class: 'section' }, 'Timings'));
    parts.push(table(['Parse', 'Record', 'Evaluate', 'Cards', 'Total'],
      [el('tr', null, [t.parse, t.record, t.evaluate, t.cards, t.total].map((ms) => el('td', null, `${ms} ms`)))], { id: 'timings' }));
    ui.explanation.replaceChildren(...parts);
  }

  function renderJudgement(judgement) {
    const verdict = judgement.cardRule
      ? el('p', { class: 'verdict card-verdict' }, `Card: ${judgement.cardRule}`,
        judgement.mergedRules && judgement.mergedRules.length > 1 ? ` (rules merged: ${judgement.mergedRules.join(', ')})` : null)
      : el('p', { class: 'verdict silent' }, `Silent (${judgement.silence ? judgement.silence.code : 'no card'}): ${judgement.silence ? judgement.silence.why : ''}`);
    const findings = judgement.findings.length === 0
      ? el('p', { class: 'placeholder' }, 'No finding holds.')
      : table(['Finding', 'Evidence'], judgement.findings.map((finding) =>
        el('tr', { 'data-finding': finding.name },
          el('td', null, el('code', null, finding.name)),
          el('td', null, el('ul', null, finding.evidence.map((e) => el('li', null, e)))))), { class: 'findings' });
    const rules = table(['#', 'Rule', 'Outcome', 'Why'], judgement.rules.map((rule) =>
      el('tr', { class: `rule outcome-${rule.outcome}`, 'data-rule': rule.id, 'data-outcome': rule.outcome },
        el('td', null, String(rule.priority)),
        el('td', null, el('code', null, rule.id)),
        el('td', { class: 'outcome' }, rule.outcome),
        el('td', { class: 'why' }, rule.why, rule.outcome === 'fired' ? el('div', { class: 'fires-when' }, `Fires when: ${rule.firesWhen}`) : null))),
    { class: 'rules' });
    return el('section', { class: 'judgement', 'data-outcome': judgement.outcome },
      el('h3', null, judgement.subject),
      judgement.orderClass ? el('p', { class: 'order-class' }, judgement.orderClass) : null,
      verdict,
      el('h4', null, 'Findings'), findings,
      el('h4', null, 'Rules'), rules);
  }

  loadSamples();
}());

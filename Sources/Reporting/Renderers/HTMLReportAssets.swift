// The stylesheet and the script of `report.html`, inlined into the page (it fetches nothing).

extension HTMLReport {
    static let stylesheet = #"""
        :root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg2:#f6f8fa;--add:#dafbe1;--addfg:#116329;--del:#ffebe9;--delfg:#82071e;--blocker:#cf222e;--warning:#9a6700;--info:#0969da;--change:#1a7f37}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;padding:1.5em 2em;max-width:110em}
        h1{margin:0 0 .2em}h2{margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}h3{margin:1.2em 0 .4em}
        code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .meta,.muted{color:var(--muted)}
        table{border-collapse:collapse;width:100%;margin:.4em 0}
        th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
        th{background:var(--bg2)}td.num,th.num{text-align:right}
        .cards{display:flex;flex-wrap:wrap;gap:.6em}
        .card{border:1px solid var(--line);border-radius:6px;padding:.5em .9em;min-width:8em;background:var(--bg2)}
        .card .n{display:block;font-size:1.6em;font-weight:600}.card .l{color:var(--muted)}
        .card.change .n{color:var(--change)}.card.blocked .n,.card.blocker .n{color:var(--blocker)}.card.warning .n{color:var(--warning)}
        .badge{display:inline-block;border-radius:1em;padding:0 .6em;font-size:12px;font-weight:600;color:#fff;background:var(--muted);white-space:nowrap}
        .badge.blocker,.badge.blocked{background:var(--blocker)}.badge.warning{background:var(--warning)}.badge.info{background:var(--info)}
        .badge.change,.badge.add{background:var(--change)}.badge.granted{background:var(--muted)}
        .filters{display:flex;flex-wrap:wrap;gap:1em;align-items:center;margin:.5em 0}
        #shown-count{color:var(--muted)}
        .arn{color:var(--muted);font:11.5px ui-monospace,monospace;word-break:break-all}
        tr.role-row:hover{background:var(--bg2)}
        .pager{margin:.5em 0}
        #role-detail{border:2px solid var(--line);border-radius:8px;padding:0 1.2em 1em;margin-top:1.5em}
        pre{background:var(--bg2);padding:.6em .8em;overflow:auto;border-radius:6px}
        pre.diff span{display:block}
        pre.diff .add{background:var(--add);color:var(--addfg)}pre.diff .del{background:var(--del);color:var(--delfg)}
        pre.diff .hunk{color:var(--info)}pre.diff .head{font-weight:600}
        dl dt{margin-top:.8em;font-weight:600}dl dd{margin-left:1.5em}dd p{margin:.2em 0}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.facts dt{margin:0}dl.facts dd{margin:0;word-break:break-all}
        .alert{color:var(--blocker)}
        @media print{.filters,.pager{display:none}}
        """#

    static let script = #"""
        (function () {
          'use strict';
          const data = JSON.parse(document.getElementById('plan-data').textContent);
          const roles = data.roles;
          const pageSize = data.pageSize;
          const byArn = new Map(roles.map((role) => [role.arn, role]));
          const $ = (id) => document.getElementById(id);
          const filters = { status: $('filter-status'), severity: $('filter-severity'), account: $('filter-account'), q: $('filter-text') };
          const rows = $('role-rows');
          const detail = $('role-detail');
          let shown = roles;
          let page = 0;
          let filterKey = null;
          let openRole = null;

          // Elements are built with textContent only: no plan text is ever parsed as HTML.
          function h(tag, attributes, children) {
            const element = document.createElement(tag);
            for (const [key, value] of Object.entries(attributes || {})) {
              if (key === 'text') element.textContent = value;
              else if (key === 'cls') element.className = value;
              else element.setAttribute(key, value);
            }
            for (const child of children || []) {
              if (child === null || child === undefined) continue;
              element.append(typeof child === 'string' ? document.createTextNode(child) : child);
            }
            return element;
          }
          const code = (text) => h('code', { text: text });
          const badge = (kind, text) => h('span', { cls: 'badge ' + kind, text: text });
          const codeLink = (value) => h('a', { href: '#code-' + value }, [code(value)]);

          function table(headers, body) {
            return h('table', null, [
              h('thead', null, [h('tr', null, headers.map((title) => h('th', { text: title })))]),
              h('tbody', null, body.map((cells) => h('tr', null, cells.map((cell) => h('td', null, [cell]))))),
            ]);
          }

          function haystack(role) {
            if (role.text === undefined) {
              const parts = [role.arn, role.name, role.account, role.status];
              for (const flow of role.flows) parts.push(flow.arn);
              for (const need of role.requirements) parts.push(need.action, need.resource, need.node);
              for (const finding of role.findings) parts.push(finding.code, finding.message, finding.subject);
              role.text = parts.join('\n').toLowerCase();
            }
            return role.text;
          }

          function current() {
            return { status: filters.status.value, severity: filters.severity.value, account: filters.account.value, q: filters.q.value.trim().toLowerCase() };
          }

          function matches(role, wanted) {
            return (!wanted.status || role.status === wanted.status)
              && (!wanted.severity || role.severity === wanted.severity)
              && (!wanted.account || role.account === wanted.account)
              && (!wanted.q || haystack(role).includes(wanted.q));
          }

          function applyFilters() {
            const wanted = current();
            const key = JSON.stringify(wanted);
            if (key !== filterKey) {
              filterKey = key;
              shown = roles.filter((role) => matches(role, wanted));
              page = 0;
            }
            renderRows();
          }

          function trustText(role) {
            const trust = role.changes.find((change) => change.type === 'updateAssumeRolePolicy');
            if (!trust) return '—';
            return 'pins ' + trust.pinned.length + ' flow' + (trust.pinned.length === 1 ? '' : 's');
          }

          function findingBadges(role) {
            const badges = [];
            for (const severity of ['blocker', 'warning', 'info']) {
              const count = role.counts[severity];
              if (count > 0) badges.push(badge(severity, count + ' ' + severity + (count === 1 ? '' : 's')), ' ');
            }
            return badges.length ? badges : ['—'];
          }

          function rowFor(role) {
            const link = h('a', { href: '#role=' + encodeURIComponent(role.arn), cls: 'role-link', text: role.name });
            link.addEventListener('click', (event) => { event.preventDefault(); openRoleView(role.arn); });
            return h('tr', { cls: 'role-row', 'data-arn': role.arn, 'data-status': role.status, 'data-severity': role.severity, 'data-account': role.account }, [
              h('td', null, [badge(role.status, role.status)]),
              h('td', null, [link, h('div', { cls: 'arn', text: role.arn })]),
              h('td', { text: role.account }),
              h('td', { cls: 'num', text: String(role.flows.length) }),
              h('td', { cls: 'num', text: String(role.grants) }),
              h('td', { text: trustText(role) }),
              h('td', null, findingBadges(role)),
            ]);
          }

          function renderRows() {
            const pages = Math.max(1, Math.ceil(shown.length / pageSize));
            page = Math.min(page, pages - 1);
            rows.replaceChildren(...shown.slice(page * pageSize, (page + 1) * pageSize).map(rowFor));
            $('shown-count').textContent = shown.length + ' of ' + roles.length + ' roles';
            $('page-info').textContent = 'page ' + (page + 1) + ' of ' + pages;
            $('page-prev').disabled = page === 0;
            $('page-next').disabled = page >= pages - 1;
          }

          function diffView(text) {
            const pre = h('pre', { cls: 'diff' });
            for (const line of text.split('\n')) {
              if (line === '') continue;
              let kind = 'ctx';
              if (line.startsWith('+++') || line.startsWith('---')) kind = 'head';
              else if (line.startsWith('@@')) kind = 'hunk';
              else if (line.startsWith('+')) kind = 'add';
              else if (line.startsWith('-')) kind = 'del';
              pre.append(h('span', { cls: kind, text: line }));
            }
            return pre;
          }

          function facts(pairs) {
            const list = h('dl', { cls: 'facts' });
            for (const [term, value] of pairs) list.append(h('dt', { text: term }), h('dd', null, [value]));
            return list;
          }

          function renderRole(role) {
            const parts = [h('h2', null, [badge(role.status, role.status), ' ', role.name])];
            parts.push(facts([['ARN', code(role.arn)], ['account', role.account], ['source', role.source || '—'], ['basis', code(role.basis)]]));
            if (!role.selected) parts.push(h('p', { cls: 'muted', text: 'Outside the selection: listed, not planned.' }));
            parts.push(h('h3', { text: 'Flows using this role' }));
            parts.push(role.flows.length
              ? table(['flow', 'created', 'window', 'versions that run as this role'], role.flows.map((flow) => [code(flow.arn), flow.createdAt, flow.legacy ? 'legacy' : 'after the change', flow.versions.join(', ')]))
              : h('p', { cls: 'muted', text: 'No flow in the inputs uses this role.' }));
            parts.push(h('h3', { text: 'Requirements: what each flow version and node needs' }));
            parts.push(role.requirements.length
              ? table(['state', 'action', 'resource', 'flow', 'version', 'node'], role.requirements.map((need) => [badge(need.state, need.state), code(need.action), code(need.resource), code(need.flow), need.version, need.node]))
              : h('p', { cls: 'muted', text: 'None: no legacy flow of this role has a Lambda, Lex or Prompt-management node.' }));
            parts.push(h('h3', { text: 'Findings' }));
            parts.push(role.findings.length
              ? table(['severity', 'code', 'message', 'subject'], role.findings.map((finding) => [
                h('span', null, [badge(finding.severity, finding.severity), finding.suppressed ? ' suppressed' : '']),
                codeLink(finding.code), finding.message, code(finding.subject)]))
              : h('p', { cls: 'muted', text: 'None.' }));
            parts.push(h('h3', { text: 'Changes' }));
            if (!role.changes.length) parts.push(h('p', { cls: 'muted', text: 'None: the role is left as it is.' }));
            for (const change of role.changes) {
              parts.push(h('h4', null, [change.type + ' — ' + change.title]));
              if (change.added && change.added.length) {
                parts.push(h('p', { text: 'Statements added or extended:' }));
                for (const statement of change.added) parts.push(h('pre', { cls: 'statement', text: statement }));
              }
              if (change.pinned) {
                parts.push(h('p', { text: 'Bedrock may assume the role only for these flows (and their versions and aliases):' }));
                parts.push(h('ul', { cls: 'pinned' }, change.pinned.map((flow) => h('li', null, [code(flow)]))));
              }
              parts.push(diffView(change.diff));
            }
            return parts;
          }

          function openRoleView(arn, fromHash) {
            const role = byArn.get(arn);
            openRole = role ? arn : null;
            detail.replaceChildren(...(role ? renderRole(role) : [h('p', { cls: 'alert', text: 'This plan has no role ' + arn + '.' })]));
            detail.hidden = false;
            if (!fromHash) writeHash();
            detail.scrollIntoView();
          }

          function writeHash() {
            const params = new URLSearchParams();
            for (const [name, element] of Object.entries(filters)) if (element.value) params.set(name, element.value);
            if (openRole) params.set('role', openRole);
            history.replaceState(null, '', params.toString() ? '#' + params.toString() : location.pathname + location.search);
          }

          // `#status=…&severity=…&account=…&q=…&role=ARN`; other fragments (`#code-…`) are plain anchors.
          function readHash() {
            const fragment = location.hash.slice(1);
            if (fragment && !/^(status|severity|account|q|role)=/.test(fragment)) return;
            const params = new URLSearchParams(fragment);
            for (const [name, element] of Object.entries(filters)) element.value = params.get(name) || '';
            applyFilters();
            const arn = params.get('role');
            if (arn) openRoleView(arn, true);
          }

          for (const element of Object.values(filters)) {
            element.addEventListener(element.tagName === 'INPUT' ? 'input' : 'change', () => { applyFilters(); writeHash(); });
          }
          $('page-prev').addEventListener('click', () => { page -= 1; renderRows(); });
          $('page-next').addEventListener('click', () => { page += 1; renderRows(); });
          window.addEventListener('hashchange', readHash);
          readHash();
          if (filterKey === null) applyFilters();
        })();
        """#
}

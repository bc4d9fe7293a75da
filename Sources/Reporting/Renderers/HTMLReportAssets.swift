// The stylesheet and the script of `report.html`, inlined into the page (it fetches nothing).

extension HTMLReport {
    static let stylesheet = #"""
        :root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg2:#f6f8fa;--add:#dafbe1;--addfg:#116329;--del:#ffebe9;--delfg:#82071e;--blocker:#cf222e;--warning:#9a6700;--info:#0969da;--change:#1a7f37;--flash:#fff8c5}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;padding:1.5em 2em;max-width:110em}
        h1{margin:0 0 .2em}h2{margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}h3{margin:1.2em 0 .4em}
        h1,h2,h3,h4,p,li{overflow-wrap:anywhere}
        code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .meta,.muted{color:var(--muted)}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;width:100%;margin:.4em 0}
        th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
        td{overflow-wrap:anywhere}td .key,td .badge{white-space:nowrap}
        th{background:var(--bg2)}td.num,th.num{text-align:right}
        th[title]{cursor:help;text-decoration:underline dotted}
        .cards{display:flex;flex-wrap:wrap;gap:.6em}
        .card{border:1px solid var(--line);border-radius:6px;padding:.5em .9em;min-width:8em;max-width:16em;background:var(--bg2)}
        .card .n{display:block;font-size:1.6em;font-weight:600}.card .l{color:var(--muted)}.card .u{display:block;color:var(--muted);font-size:11.5px}
        .card.change .n{color:var(--change)}.card.blocked .n,.card.blocker .n{color:var(--blocker)}.card.warning .n{color:var(--warning)}.card.info .n{color:var(--info)}
        .badge{display:inline-block;border-radius:1em;padding:0 .6em;font-size:12px;font-weight:600;color:#fff;background:var(--muted);white-space:nowrap}
        .badge.blocker,.badge.blocked{background:var(--blocker)}.badge.warning,.badge.newFlow{background:var(--warning)}.badge.info{background:var(--info)}
        .badge.change,.badge.add{background:var(--change)}.badge.granted{background:var(--muted)}
        .badge.blocked-grants{background:#fff;color:var(--blocker);border:1px solid var(--blocker)}
        .filters{display:flex;flex-wrap:wrap;gap:.6em 1em;align-items:center;margin:.5em 0}
        .filters label[title]{cursor:help}
        #filter-text{max-width:100%}
        #shown-count{color:var(--muted)}
        .arn{color:var(--muted);font:11.5px ui-monospace,monospace;overflow-wrap:anywhere}
        tr.role-row:hover{background:var(--bg2)}
        .pager{margin:.5em 0}
        #role-detail{border:2px solid var(--line);border-radius:8px;padding:0 1.2em 1em;margin-top:1.5em}
        .consequences{border:1px solid var(--blocker);border-left-width:6px;border-radius:6px;padding:.4em 1em;margin:.6em 0;background:var(--del)}
        .consequences.new-only{border-color:var(--warning);background:var(--flash)}
        .consequences ul{margin:.3em 0;padding-left:1.2em}
        pre{background:var(--bg2);padding:.6em .8em;overflow:auto;border-radius:6px;max-width:100%}
        pre.diff span{display:block;min-width:100%;width:max-content}
        pre.diff .add{background:var(--add);color:var(--addfg)}pre.diff .del{background:var(--del);color:var(--delfg)}
        pre.diff .hunk{color:var(--info)}pre.diff .head{font-weight:600}
        details>summary{cursor:pointer;margin:.4em 0}
        dl dt{margin-top:.8em;font-weight:600}dl dd{margin-left:1.5em}dd p{margin:.2em 0}
        dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em}dl.facts dt{margin:0}dl.facts dd{margin:0;overflow-wrap:anywhere}
        #codes .count{font-weight:400;color:var(--muted)}
        #codes dt.flash,#codes dt.flash+dd,h4.flash{background:var(--flash);outline:2px solid var(--warning)}
        .alert{color:var(--blocker)}
        @media (max-width:700px){
          body{padding:.8em}
          .card{min-width:0;flex:1 1 9em}
          dl dd{margin-left:.8em}
          #role-detail{padding:0 .6em .8em}
          table.stack thead{display:none}
          table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
          table.stack tr{border:1px solid var(--line);border-radius:6px;margin:.5em 0;padding:.3em .5em}
          table.stack td,table.stack td.num{border:0;padding:.15em 0;text-align:left}
          table.stack td::before{content:attr(data-label);display:inline-block;min-width:7.5em;margin-right:.5em;color:var(--muted);font-size:12px}
        }
        @media print{.filters,.pager{display:none}details{display:block}}
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
          // A short token (an action, a code, a version) that is never broken across lines.
          const key = (text) => h('span', { cls: 'key' }, [typeof text === 'string' ? code(text) : text]);
          const codeLink = (value) => h('a', { href: '#code-' + value, cls: 'key' }, [code(value)]);

          // A table in a container that scrolls sideways when the page is narrower than the table;
          // on a narrow screen its rows become cards, each cell labelled with its column.
          function table(headers, body, attributes) {
            return h('div', { cls: 'scroll' }, [h('table', Object.assign({ cls: 'stack' }, attributes), [
              h('thead', null, [h('tr', null, headers.map((title) => h('th', { text: title })))]),
              h('tbody', null, body.map((cells) => h('tr', null, cells.map((cell, index) => h('td', { 'data-label': headers[index] }, Array.isArray(cell) ? cell : [cell]))))),
            ])]);
          }
          const plural = (count, word) => count + ' ' + word + (count === 1 ? '' : 's');

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

          function trustCell(role) {
            const trust = role.changes.find((change) => change.type === 'updateAssumeRolePolicy');
            if (trust) return h('td', { 'data-label': 'trust', text: 'pins ' + plural(trust.pinned.length, 'flow') });
            const reason = role.trustReason ? role.trustReason.text : '';
            return h('td', { 'data-label': 'trust', title: reason, text: '— left as it is' });
          }

          function findingBadges(role) {
            const badges = [];
            for (const severity of ['blocker', 'warning', 'info']) {
              const count = role.counts[severity];
              if (count > 0) badges.push(badge(severity, plural(count, severity)), ' ');
            }
            return badges.length ? badges : ['—'];
          }

          // A role that changes (or stays) while some of its grants cannot be added says so beside its status.
          function blockedBadge(role) {
            if (role.status === 'blocked') return null;
            if (role.blockedGrants > 0) {
              const element = badge('blocked-grants', plural(role.blockedGrants, 'grant') + ' blocked');
              element.title = 'Not added: the nodes that need ' + (role.blockedGrants === 1 ? 'it' : 'them') + ' will fail as this role. Open the role for which and why.';
              return element;
            }
            return null;
          }

          function rowFor(role) {
            const link = h('a', { href: '#role=' + encodeURIComponent(role.arn), cls: 'role-link', text: role.name });
            link.addEventListener('click', (event) => { event.preventDefault(); openRoleView(role.arn); });
            const blocked = blockedBadge(role);
            return h('tr', { cls: 'role-row', 'data-arn': role.arn, 'data-status': role.status, 'data-severity': role.severity, 'data-account': role.account, 'data-blocked-grants': String(role.blockedGrants) }, [
              h('td', { 'data-label': 'status' }, [badge(role.status, role.status), blocked ? ' ' : null, blocked]),
              h('td', { 'data-label': 'role' }, [link, h('div', { cls: 'arn', text: role.arn })]),
              h('td', { 'data-label': 'account' }, [h('span', { cls: 'key', text: role.account })]),
              h('td', { cls: 'num', 'data-label': 'flows', text: String(role.flows.length) }),
              h('td', { cls: 'num', 'data-label': 'grants to add', title: 'distinct (action, resource) pairs', text: String(role.grants) }),
              trustCell(role),
              h('td', { 'data-label': 'open findings' }, findingBadges(role)),
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

          // A link to a place in the page that scrolls there without touching the address.
          const jump = (target, text) => h('a', { href: '#' + target, text: text });

          function whyCell(entry) {
            const parts = [];
            for (const value of entry.codes) parts.push(codeLink(value), ' ');
            if (entry.reason === 'newFlow') parts.push('flow created after the window: not migrated (--include-new-flows adds it)');
            else if (entry.accepted) parts.push('(accepted by a suppression)');
            return parts;
          }

          function renderRole(role) {
            const parts = [h('h2', null, [badge(role.status, role.status), ' ', blockedBadge(role), ' ', role.name])];
            const notAdded = role.notAdded || [];
            if (notAdded.length) {
              const blocked = notAdded.filter((entry) => entry.reason === 'blocked').length;
              const heading = blocked
                ? 'Not everything this role needs will be added'
                : 'Flows created after the window lack grants this plan does not add';
              parts.push(h('div', { cls: 'consequences' + (blocked ? '' : ' new-only'), role: 'note' }, [
                h('strong', { text: heading }),
                h('ul', null, role.consequences.map((sentence) => h('li', { text: sentence }))),
                h('p', null, ['Each need is listed under ', jump('not-added', 'Changes › Not added'), '.']),
              ]));
            }
            parts.push(facts([['ARN', code(role.arn)], ['account', role.account], ['source', role.source || '—'], ['basis', code(role.basis)]]));
            if (!role.selected) parts.push(h('p', { cls: 'muted', text: 'Outside the selection: listed, not planned.' }));
            parts.push(h('h3', { text: 'Flows using this role' }));
            parts.push(role.flows.length
              ? table(['flow', 'created', 'window', 'versions that run as this role'], role.flows.map((flow) => [code(flow.arn), key(flow.createdAt), flow.legacy ? 'legacy' : (data.includeNewFlows ? 'after the window (migrated: --include-new-flows)' : 'after the window (not migrated)'), flow.versions.join(', ')]))
              : h('p', { cls: 'muted', text: 'No flow in the inputs uses this role.' }));
            parts.push(h('h3', { text: data.includeNewFlows
              ? 'Requirements: what each version and node of every flow needs (legacy and new: --include-new-flows)'
              : 'Requirements: what each version and node of legacy flows (migrated) needs' }));
            if (!data.includeNewFlows) {
              parts.push(h('p', { cls: 'muted' }, ['Flows created after the window are not migrated; what they lack is under ', jump('not-added', 'Changes › Not added'), '.']));
            }
            parts.push(role.requirements.length
              ? table(['state', 'action', 'resource', 'flow', 'version', 'node'], role.requirements.map((need) => [badge(need.state, need.state), key(need.action), need.condition ? h('span', {}, [code(need.resource), ' if ', code(need.condition)]) : code(need.resource), code(need.flow), key(need.version), h('span', { cls: 'key', text: need.node })]))
              : h('p', { cls: 'muted', text: data.includeNewFlows ? 'None: no flow of this role has a Lambda, Lex or Prompt-management node.' : 'None: no legacy flow of this role has a Lambda, Lex or Prompt-management node.' }));
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
              if (change.new) {
                parts.push(h('p', { text: 'A new inline policy, written whole:' }));
              } else if (change.added && change.added.length) {
                parts.push(h('p', { text: 'Statements added or extended:' }));
                for (const statement of change.added) parts.push(h('pre', { cls: 'statement', text: statement }));
                parts.push(h('p', { text: 'The whole change:' }));
              }
              if (change.pinned) {
                parts.push(h('p', { text: 'Bedrock may assume the role only for these flows (and their versions and aliases):' }));
                parts.push(h('ul', { cls: 'pinned' }, change.pinned.map((flow) => h('li', null, [code(flow)]))));
              }
              parts.push(diffView(change.diff));
              if (change.document) {
                parts.push(h('details', { cls: 'trust-after' }, [
                  h('summary', { text: 'The whole trust policy after the change' }),
                  h('pre', { cls: 'document', text: change.document }),
                ]));
              }
            }
            if (role.trustReason) {
              const reason = role.trustReason;
              const explained = role.findings.filter((finding) => reason.codes.includes(finding.code));
              parts.push(h('h4', { text: 'trust policy — left as it is' }));
              parts.push(h('div', { cls: 'trust-reason' }, [
                h('p', { text: reason.text }),
                explained.length ? h('ul', null, explained.map((finding) => h('li', null, [codeLink(finding.code), ' ', finding.message]))) : null,
              ]));
            }
            if (notAdded.length) {
              parts.push(h('h4', { id: 'not-added', text: 'Not added' }));
              parts.push(h('p', { text: 'What flows of this role need and this plan does not add; the nodes named fail as this role until it is granted.' }));
              parts.push(table(['not added', 'action', 'resource', 'flow', 'version', 'node', 'because of'],
                notAdded.map((entry) => [
                  badge(entry.reason, entry.reason === 'blocked' ? 'blocked' : 'new flow'),
                  entry.action ? key(entry.action) : '—', code(entry.resource), entry.flow ? code(entry.flow) : '—',
                  key(entry.version || '—'), h('span', { cls: 'key', text: entry.node || '—' }), whyCell(entry)]),
                { id: 'not-added-table' }));
            }
            return parts;
          }

          // Scrolls to an element of the page (opening the <details> it is folded in) and marks
          // it for a moment; location.hash, which holds the role and the filters, is left alone.
          function showTarget(id) {
            const target = document.getElementById(id);
            if (!target) return;
            for (let node = target.parentElement; node; node = node.parentElement) {
              if (node.tagName === 'DETAILS') node.open = true;
            }
            target.scrollIntoView({ block: 'center' });
            for (const old of document.querySelectorAll('.flash')) old.classList.remove('flash');
            target.classList.add('flash');
          }

          document.addEventListener('click', (event) => {
            const link = event.target.closest ? event.target.closest('a[href^="#code-"], a[href="#not-added"]') : null;
            if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
            event.preventDefault();
            showTarget(link.getAttribute('href').slice(1));
          });

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
            // Absolute, so that a page whose base is not its own address (an iframe's srcdoc) works too.
            const here = location.href.split('#')[0];
            history.replaceState(null, '', params.toString() ? here + '#' + params.toString() : here);
          }

          // `#status=…&severity=…&account=…&q=…&role=ARN`; `#code-…` (a link from elsewhere) shows
          // that explanation; other fragments are plain anchors.
          function readHash() {
            const fragment = location.hash.slice(1);
            if (fragment.startsWith('code-')) {
              if (filterKey === null) applyFilters();
              showTarget(fragment);
              return;
            }
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

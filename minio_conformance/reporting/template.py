"""The page template: one self-contained HTML file (inline CSS, inline SVG, a few lines of inline JS).

Kept as a Python string so the package needs no package data; rendered by Jinja2 with
autoescape, so no value reaches the page unescaped.
"""

INDEX = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MinIO on Kubernetes conformance: {{ report.verdict.head }}</title>
<style>
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 0 1.2em 3em; color: #1b1f24; }
h1 { font-size: 20px; margin: .6em 0 .2em; }
h2 { font-size: 16px; margin: 1.6em 0 .5em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
h3 { font-size: 14px; margin: 1.2em 0 .4em; }
code, pre { font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
.verdict { display: inline-block; font-weight: 600; padding: 4px 10px; border-radius: 4px; margin: .3em 0; }
.verdict.pass { background: #dafbe1; color: #116329; border: 1px solid #4ac26b; }
.verdict.failed { background: #ffebe9; color: #a40e26; border: 1px solid #ff8182; }
.verdict.incomplete { background: #fff8c5; color: #7d4e00; border: 1px solid #d4a72c; }
.verdict.pass-partial { background: #ddf4ff; color: #0a3069; border: 1px solid #54aeff; }
#partial { background: #ddf4ff; border: 2px dashed #0969da; color: #0a3069; padding: 4px 10px; border-radius: 4px;
           margin: .3em 0; }
#partial .label { font-weight: 700; }
.meta { font-size: 12px; }
.meta th { white-space: nowrap; }
.matrix td.stmt { max-width: 46em; font-size: 12px; }
.st { display: inline-block; }
a.st.chip { display: inline-block; margin: 2px 2px 0 0; }
#failures { margin: .2em 0 .4em; }
.matrix td.id { font-weight: 600; white-space: nowrap; }
.matrix td.cell { text-align: center; white-space: nowrap; padding: 1px 3px; }
.matrix tr.req-failed td.id { color: #a40e26; }
a.st { display: block; text-decoration: none; padding: 1px 6px; border-radius: 3px; font-size: 12px; }
.s-passed { background: #dafbe1; color: #116329; }
.s-failed { background: #ff8182; color: #4c0510; font-weight: 700; }
.s-na { background: #eaeef2; color: #57606a; }
.s-waived { background: #fbefff; color: #6e40c9; border: 1px dashed #8250df; font-style: italic; }
#waived { background: #fbefff; border: 1px solid #c297ff; color: #3e1f79; padding: 4px 10px; border-radius: 4px;
          margin: .3em 0; }
#waived td { border-color: #c297ff; }
#unattributed-failures { background: #ffebe9; border: 2px solid #cf222e; color: #a40e26; padding: 4px 10px;
                         border-radius: 4px; margin: .3em 0; font-weight: 600; }
.s-skipped { background: #fff8c5; color: #7d4e00; }
.s-noteval { background: #fff1e5; color: #953800; border: 1px dotted #bc4c00; }
div.failed-step { margin: .2em 0 .2em 1em; padding: .2em .6em; border-left: 3px solid #cf222e; }
.s-notrun { background: repeating-linear-gradient(45deg, #f6f8fa, #f6f8fa 4px, #eaeef2 4px, #eaeef2 8px);
            color: #57606a; }
.tag { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 8px; border: 1px solid #d0d7de; }
.adv { background: #ddf4ff; }
.req { background: #fff; }
details.cell { border: 1px solid #d0d7de; border-radius: 4px; margin: .3em 0; padding: .2em .6em; }
details.cell > summary { cursor: pointer; }
details.cell[open] { background: #fbfcfd; }
details.test { margin: .4em 0 .4em 1em; border-left: 3px solid #d0d7de; padding-left: .6em; }
details.evidence { margin: .2em 0 .2em 1em; }
:target { outline: 3px solid #0969da; outline-offset: 2px; }
.small { font-size: 11px; color: #57606a; }
svg text { font: 11px system-ui, sans-serif; fill: #1b1f24; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .c-cluster { fill: #8250df; } svg .c-images { fill: #bf8700; } svg .c-deploy { fill: #0969da; }
svg .c-static { fill: #6e7781; } svg .c-live { fill: #1a7f37; } svg .c-disruptive { fill: #cf222e; }
svg .c-upgrade { fill: #8250df; }
svg .c-pod { fill: #0969da; } svg .base { stroke: #8c959f; stroke-width: 2; }
svg circle.ev { fill: #cf222e; } svg text.evn { fill: #fff; font-size: 9px; font-weight: 700; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.warn { color: #a40e26; }
svg .c-fail { fill: #a40e26; } svg .c-read-fail { fill: #e16f24; } svg .c-write-fail { fill: #cf222e; }
svg .mark { stroke: #1b1f24; stroke-width: 1.5; stroke-dasharray: 5 3; }
#missed-proof-heads { background: #ffebe9; border: 2px solid #cf222e; color: #a40e26; padding: 4px 10px;
                      border-radius: 4px; margin: .3em 0; font-weight: 600; }
section.upgrade { border-left: 3px solid #d0d7de; padding-left: .8em; margin: 1em 0 2em; }
section.upgrade h4 { font-size: 13px; margin: 1em 0 .3em; }
section.upgrade figure { margin: 0; max-width: 100%; }
section.upgrade svg.chart { max-width: 100%; height: auto; }
section.upgrade div.stats { min-width: 0; max-width: 100%; overflow-x: auto; }
section.upgrade td { overflow-wrap: break-word; }
section.upgrade td.finding, section.upgrade td code { overflow-wrap: anywhere; }
section.upgrade td.id, section.upgrade td .st { white-space: nowrap; }
section.upgrade td.stmt, section.upgrade td.finding { max-width: 40em; }
section.upgrade td.num { text-align: right; white-space: nowrap; }
section.upgrade tr.missed td { background: #ffebe9; }
section.mutation tr.missed td { background: #ffebe9; }
details.diff { border: 1px solid #d0d7de; border-radius: 4px; margin: .6em 0; padding: .2em .6em; }
details.diff > summary { cursor: pointer; }
</style>
</head>
<body>
<header>
<h1>MinIO on Kubernetes: conformance report{% if report.verdict.profile.partial %} (partial run:
{{ report.verdict.profile.name }} profile){% endif %}</h1>
{% if report.verdict.profile.partial %}<div id="partial" role="note" data-profile="{{ report.verdict.profile.name }}">
<div class="label">{{ report.verdict.profile.label }}</div>
<div>This page is not a conformance verdict: it judges only what the {{ report.verdict.profile.name }} profile runs.
{% if report.verdict.not_evaluated %}Not evaluated in this run ({{ report.verdict.not_evaluated | length }}):
{% for n in report.verdict.not_evaluated %}<a class="st chip s-notrun" href="#r-{{ n.id }}" title="{{ n.reason }}"
 data-requirement="{{ n.id }}">{{ n.id }}{% if n.severity.value == 'advisory' %} (advisory){% endif %}</a>
{% endfor %}{% endif %}</div>
</div>{% endif %}
<div class="verdict {{ report.verdict.result.value }}" id="verdict" data-result="{{ report.verdict.result.value }}">
{{- report.verdict.line }}</div>
{% if report.verdict.missing %}<div id="incomplete" class="small"><b>Not proven yet</b>:
{% for title in report.verdict.legs_not_run %}<span class="tag">{{ title }}: no results</span> {% endfor %}
{% for m in report.verdict.legs_missing_tiers %}<a class="tag" href="#leg-{{ m.leg }}">{{ m | string }}</a> {% endfor %}
{% if report.verdict.unproven %}required requirements passed in no leg:
{% for rid in report.verdict.unproven %}<a class="st chip {{ 's-noteval' if rid in report.verdict.unobserved
 else 's-notrun' }}" href="#r-{{ rid }}">{{ rid }}</a>{% endfor %}
{% if report.verdict.unobserved %}<span class="small">(<span class="st s-noteval">not evaluated</span>: could not be
observed)</span>{% endif %}
{% endif %}</div>{% endif %}
{%- set failing = report.matrix.rows | selectattr('failed_legs') | list %}
{% if failing %}<div id="failures">failed:
{% for row in failing %}{% for cell in row.cells if cell.status.value == 'failed' %}
<a class="st chip s-failed" href="#{{ cell.anchor }}">{{ row.requirement.id }} &middot; {{ cell.leg | legtitle }}
{%- if row.requirement.severity.value == 'advisory' %} (advisory){% endif %}</a>
{% endfor %}{% endfor %}</div>{% endif %}
{% if report.verdict.unattributed_failed %}<div id="unattributed-failures" role="alert">Failed without a requirement
ID (a deployment step, a fixture or the suite itself): the run did not complete as the suite needs, so the report
fails:
{% for u in report.verdict.unattributed_failed %}<a class="st chip s-failed" href="#{{ u.anchor }}" title="{{ u.why }}"
 data-nodeid="{{ u.nodeid }}">{{ u | string }}</a>
{% endfor %}</div>{% endif %}
{% if report.verdict.waived %}<div id="waived" role="note" data-count="{{ report.verdict.waived | length }}">
<b>Waived ({{ report.verdict.waived | length }})</b>: the team's gate config waives these requirements; they are not
proven, not passed, and not counted as missing.
<table class="small">
<tr><th>ID</th><th>severity</th><th>why (config file)</th><th>waived in</th></tr>
{% for w in report.verdict.waived %}<tr data-requirement="{{ w.id }}"><td><a class="st chip s-waived"
 href="#r-{{ w.id }}">{{ w.id }}</a></td><td>{{ w.severity.value }}</td><td class="reason">{{ w.reason }}</td>
<td>{% for leg in w.legs %}<a href="#c-{{ w.id }}-{{ leg }}">{{ leg | legtitle }}</a>
{%- if not loop.last %}, {% endif %}{% endfor %}</td></tr>{% endfor %}
</table></div>{% endif %}
{% if report.verdict.missed_proof_heads %}<div id="missed-proof-heads" role="alert">Proof head(s) NOT caught: the
upgrade scenario applied a broken head that the requirement named for it did not catch, so the suite has not shown it
would catch that break:
{% for m in report.verdict.missed_proof_heads %}<a class="st chip s-failed" href="#{{ m.anchor }}" title="{{ m.why }}">
{{- m.head }} &middot; {{ m.catches }} &middot; {{ m.leg | legtitle }}</a>
{% endfor %}</div>{% endif %}
{% if report.verdict.missed_mutants %}<div id="missed-mutants" role="alert">Live mutant(s) NOT caught: a broken
deployment ran and the requirement named for it did not fail, so the live tier has not shown it can catch that break:
{% for m in report.verdict.missed_mutants %}<a class="st chip s-failed" href="#mutation">{{ m }}</a>
{% endfor %}</div>{% endif %}
<table class="meta" id="metadata">
<tr><th>generated</th><td>{{ meta.generated }}</td>
<th>suite</th><td>minio-conformance {{ meta.version }}, git <code>{{ meta.revision }}</code></td></tr>
<tr><th>Kubernetes</th><td>{{ meta.kubernetes }}</td><th>kind</th><td>{{ meta.kind_version }}</td></tr>
{% if meta.results_dirs | length > 1 %}<tr><th>results merged from</th><td colspan="3">
{%- for d in meta.results_dirs %}<code>{{ d }}</code>{% if not loop.last %}, {% endif %}{% endfor %}
</td></tr>{% endif %}
<tr><th>manifests</th><td colspan="3">
{%- for m in meta.manifests %}<div><code>{{ m.path }}</code>:
{% if m.sha256 %}sha256 <code>{{ m.sha256 }}</code> ({{ m.files }} files)
{%- else %}<span class="warn">{{ m.note }}</span>{% endif %}</div>{% endfor %}
<div class="small">hash =
<code>(cd DIR &amp;&amp; find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum</code>,
taken when this page was built</div>
</td></tr>
<tr><th>images</th><td colspan="3">
{%- for i in meta.images %}<div>{{ i.role }}: <code>{{ i.name }}</code> id <code>{{ i.image_id }}</code>
<span class="small">({{ i.source }})</span></div>{% endfor %}
</td></tr>
<tr><th>legs</th><td colspan="3">
{%- for leg in meta.legs %}<div class="leg" id="leg-{{ leg.key }}"><b>{{ leg.title }}</b>:
{% if not leg.runs and leg.left_out %}<span class="small">{{ leg.left_out }}</span>{% elif not leg.runs %}
<span class="warn">no results</span>{% else %}
{%- for r in leg.runs %} <span class="tag" title="{{ r.started }} to {{ r.finished }}">{{ r.phase }}:
{{ r.started[:16] | replace('T', ' ') }} UTC, exit {{ r.exit_status }}
{%- if r.html %}, <a href="{{ r.html }}">pytest-html</a>{% endif %}
{%- if r.junit %}, <a href="{{ r.junit }}">JUnit</a>{% endif %}</span>{% endfor %}
{% if leg.key == 'static' %} rendered for {{ leg.node_counts }} schedulable node(s){% endif %}
{% if leg.key != 'static' and leg.runs | selectattr('phase', 'equalto', 'static') | list %}
<span class="warn">live tier not run (static tier only)</span>{% endif %}
{% if leg.nodes %} Kubernetes {{ leg.kubernetes }},{% endif %}
{% if leg.nodes %} {{ leg.replicas }} replica(s) on {{ leg.schedulable | length }} schedulable of
{{ leg.nodes | length }} node(s): <span class="small">{{ leg.nodes | join(', ') }}
(schedulable: {{ leg.schedulable | join(', ') }})</span>{% endif %}
{% if leg.node_mapping %}<div class="node-mapping">the set's PVs name nodes this cluster lacks, mapped one to one
at deploy time (the files are judged as written):
{% for team, node in leg.node_mapping %}<code>{{ team }}</code> &rarr; <code>{{ node }}</code>
{%- if not loop.last %}, {% endif %}{% endfor %}</div>{% endif %}
{% if leg.names %}<div class="team-names">deployed, observed and judged under the team's names (gate config),
not 000's: {% for field, documented, deployed in leg.names %}{{ field }} <code>{{ documented }}</code> &rarr;
<code>{{ deployed }}</code>{%- if not loop.last %}, {% endif %}{% endfor %}</div>{% endif %}
{% if leg.deploy_error %} <span class="warn">deploy error: {{ leg.deploy_error }}</span>{% endif %}
{% if leg.failed_step %}{% set f = leg.failed_step %}<div class="failed-step" data-step="{{ f.step }}">
<span class="warn">deploy step failed: <b>{{ f.step }}</b></span>
{%- if f.requirements %} (requirements: {% for rid in f.requirements %}<a href="#r-{{ rid }}">{{ rid }}</a>
{%- if not loop.last %}, {% endif %}{% endfor %}){% endif %}: the deployment did not come up; the live and
disruptive tests it left unobserved read <span class="st s-noteval">not evaluated</span>.
{% if f.message %}<pre class="message">{{ f.message }}</pre>{% endif %}
{% for label, text in f.evidence %}<details class="evidence"><summary>evidence: {{ label }}</summary>
<pre>{{ text }}</pre></details>{% endfor %}
</div>{% endif %}
{% if ('leg-' ~ leg.key) in upgrade_links %} <a class="tag" href="#{{ upgrade_links['leg-' ~ leg.key] }}">upgrade
scenario</a>{% endif %}
{% endif %}</div>{% endfor %}
</td></tr>
</table>
</header>

<h2 id="matrix-title">Requirement matrix</h2>
<p class="small">One row per requirement of the catalog, in catalog order.
A cell is failed if any of its tests failed, passed if every test that ran passed; click a cell for the
tests, messages and evidence. Advisory requirements fail the run only with <code>--strict</code>. A requirement
the team's gate config waives reads <span class="st chip s-waived">waived</span> (never passed), with the reason.
A requirement whose tests could not observe it (the deployment did not come up) reads
<span class="st chip s-noteval">not evaluated</span>: neither passed nor not applicable, it counts as not proven.</p>
<table class="matrix" id="matrix">
<thead><tr><th>ID</th><th>requirement</th><th>source</th><th>tier</th><th>severity</th>
{%- for leg in report.matrix.legs %}<th>{{ leg.title }}{% if not leg.planned %}<div class="small">not in the
{{ leg.profile.name }} profile</div>{% endif %}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in report.matrix.rows %}
<tr id="r-{{ row.requirement.id }}" class="{{ 'req-failed' if row.failed_legs else '' }}"
 data-requirement="{{ row.requirement.id }}">
<td class="id">{{ row.requirement.id }}</td>
<td class="stmt">{{ row.requirement.statement }}</td>
<td>{{ row.requirement.source }}</td>
<td>{{ row.requirement.tier.value }}</td>
<td><span class="tag {{ 'adv' if row.requirement.severity.value == 'advisory' else 'req' }}">
{{- row.requirement.severity.value }}</span></td>
{%- for cell in row.cells %}
<td class="cell"><a class="st {{ cell.status | css }}" href="#{{ cell.anchor }}" title="{{ cell.reason }}"
 data-status="{{ cell.status.value }}" data-leg="{{ cell.leg }}">{{ cell.status | short }}</a></td>
{%- endfor %}
</tr>
{%- endfor %}
</tbody>
</table>

{% if report.matrix.unknown %}
<h3 class="warn">Requirement IDs not in the catalog</h3>
<ul>{% for rid, tests in report.matrix.unknown.items() %}<li><code>{{ rid }}</code>:
{% for t in tests %}<a href="#{{ t.anchor }}">{{ t.nodeid }}</a> ({{ t.outcome }}) {% endfor %}</li>{% endfor %}</ul>
{% endif %}

<h2 id="timings">Timings</h2>
{% for mr in report.matrix_runs %}
<h3 id="matrix-run">The matrix run: {{ mr.wall_s | secs }} s wall in {{ mr.lanes | length }} lane(s)
{%- if mr.interrupted_by %} (interrupted by {{ mr.interrupted_by }}){% endif %}</h3>
<div class="charts">
{% if mr.chart %}{{ chart(mr.chart) }}{% endif %}
<table class="small"><tr><th>job</th><th>phase</th><th>started (s)</th><th>seconds</th><th>exit</th></tr>
{% for p in mr.phases %}<tr><td>{{ p.job }}</td><td>{{ p.phase }}</td><td>{{ p.start_s | secs }}</td>
<td>{{ p.seconds | secs }}</td>
<td>{{ p.exit_status if p.exit_status is not none else 'not ended' }}</td></tr>{% endfor %}
</table>
</div>
{% if mr.ratio is not none %}<p>4-node deploy (kind cluster, images, documented steps 0-10):
suite {{ mr.suite_deploy_s | secs }} s, bare documented procedure {{ mr.bare_procedure_s | secs }} s
(kind create cluster, kubectl apply of the rendered files in order, kubectl wait, kubectl rollout status):
<strong>{{ "%.2f" | format(mr.ratio) }}x</strong>, measured side by side in this run.</p>{% endif %}
<p class="small">Lanes run at the same time; the jobs of one lane one after another ({{ mr.file }}).</p>
{% endfor %}
{% for lt in report.timings %}
<h3>{{ lt.leg.title }}</h3>
<div class="charts">
{% if lt.durations %}{{ chart(lt.durations) }}{% endif %}
{% if lt.steps %}
<table class="small"><tr><th>deploy step</th><th>seconds</th></tr>
{% for label, seconds in lt.steps %}<tr><td>{{ label }}</td><td>{{ seconds | secs }}</td></tr>{% endfor %}
<tr><td>all pods Ready after the StatefulSet apply</td><td>{{ lt.all_ready_after_s }}</td></tr>
</table>
{% endif %}
</div>
{% if lt.pod_chart %}
<div class="charts">
{{ chart(lt.pod_chart) }}
<table class="small"><tr><th>pod</th><th>node</th><th>created (s after first pod)</th><th>Ready after (s)</th>
<th>restarts</th></tr>
{% for p in lt.pods %}<tr><td>{{ p.name }}</td><td>{{ p.node }}</td><td>{{ p.created_offset | secs }}</td>
<td>{{ p.to_ready | secs if p.to_ready is not none else 'never Ready' }}</td><td>{{ p.restarts }}</td></tr>{% endfor %}
</table>
</div>
{% endif %}
{% endfor %}
<p class="small">Suites duration: the run's started-to-finished wall time minus the bring-up that run did itself
(cluster, image loading, and the documented deploy when it happened in that run).</p>

{% if report.recovery_chart %}
<h3 id="recovery">Recovery timelines of the durability scenarios</h3>
<div class="charts">
{{ chart(report.recovery_chart) }}
<table class="small"><tr><th>scenario (leg)</th><th>#</th><th>event</th><th>s since fault</th></tr>
{% for r in report.recoveries %}{% for label, at in r.events %}<tr>
{%- if loop.first %}<td rowspan="{{ r.events | length }}"><a href="#{{ r.test.anchor }}">{{ r.scenario }}</a>
({{ r.leg | legtitle }})</td>{% endif %}
<td>{{ loop.index }}</td><td>{{ label }}</td><td>{{ at | secs }}</td></tr>{% endfor %}{% endfor %}
</table>
</div>
{% endif %}

{% if report.mutation_runs %}
<h2 id="mutation">Live mutation score</h2>
<p class="small">Broken deployments (<code>minio_conformance/live_mutants.py</code>) deployed one at a time on one
cluster per node count after the good set passed the same tests (<code>python -m fixtures.mutants</code>). Caught:
a test of the named requirement failed with a verdict naming it; missed: those tests passed.</p>
{% for r in report.mutation_runs %}
<section class="mutation" id="mutation-{{ r.nodes }}" data-nodes="{{ r.nodes }}">
<h3>{{ r.nodes }} node{% if r.nodes > 1 %}s{% endif %}: {{ r.score }} caught
{%- if r.not_caught %} <span class="st chip s-failed">{{ r.not_caught | length }} NOT caught</span>{% endif %}</h3>
<p class="small">{% if r.subset %}A rotating subset of {{ r.subset['size'] }} (run {{ r.subset['counter'] }}) ran:
{% else %}Ran: {% endif %}{{ r.ran | join(', ') or 'none' }}.
{% if r.good_seconds is not none %}Good set {{ r.good_seconds | secs }} s; {% endif %}
total {{ r.total_seconds | secs }} s.</p>
<table class="small">
<tr><th>mutant</th><th>requirements</th><th>outcome</th><th>s</th><th>evidence</th></tr>
{% for m in r.mutants %}<tr data-mutant="{{ m.name }}" data-outcome="{{ m.outcome }}"
{%- if m.not_caught %} class="missed"{% endif %}><td><code>{{ m.name }}</code></td>
<td>{% for rid in m.requirements %}<a href="#r-{{ rid }}">{{ rid }}</a>
{%- if not loop.last %}, {% endif %}{% endfor %}</td>
<td>{{ m.outcome }}</td><td class="num">{{ m.seconds | secs }}</td><td class="finding">{{ m.evidence }}</td></tr>
{% endfor %}</table>
</section>
{% endfor %}
{% endif %}

{% if report.upgrades or report.upgrade_unrecorded %}
<h2 id="upgrade">Upgrade scenario (UPG-1..5)</h2>
<p class="small">The head set applied onto the running base deployment, then the base re-applied (the rollback), then
broken heads that the named requirement must catch (proof heads). Read from the <code>upgrade</code> record of the
UPG-4 test of each leg that ran the scenario.</p>
{% for key in report.upgrade_unrecorded %}<p class="small warn">{{ key | legtitle }}: the UPG tests ran but recorded
no upgrade data (a suite older than the record): their verdicts are in the matrix only.</p>{% endfor %}
{% for u in report.upgrades %}
<section class="upgrade" id="{{ u.anchor }}" data-leg="{{ u.leg }}">
<h3>{{ u.title }}{% if u.missed %} <span class="st chip s-failed">{{ u.missed | length }} proof head(s) NOT
caught</span>{% endif %}</h3>
<table class="meta small sets">
<tr><th>base</th><td><code>{{ u.base }}</code></td></tr>
{% for side, image in u.images %}<tr><th>{{ side }} image</th><td><code>{{ image }}</code></td></tr>{% endfor %}
{% if u.version_change %}<tr><th>MinIO version</th><td class="version-change">{{ u.version_change }}</td></tr>
{% endif %}
{% for label, digest in u.digests %}<tr><th>{{ label }} digest</th><td><code>{{ digest }}</code></td></tr>{% endfor %}
{% if u.objects_written is not none %}<tr><th>data set</th><td>{{ u.objects_written }} objects written under the base
{%- if u.largest_object %}, the largest {{ u.largest_object }} bytes{% endif %}</td></tr>{% endif %}
{% if u.timings %}<tr><th>timings</th><td>{% for label, s in u.timings %}{{ label }}: {{ s | secs }} s
{%- if not loop.last %}, {% endif %}{% endfor %}</td></tr>{% endif %}
<tr><th>record</th><td><a href="#{{ u.test.anchor }}"><code>{{ u.test.nodeid }}</code></a></td></tr>
</table>

<h4 id="{{ u.anchor }}-verdicts">Verdicts</h4>
<table class="small verdicts">
<tr><th>ID</th><th>requirement</th><th>{{ u.title }}</th><th>first finding (or why not judged)</th><th>test</th></tr>
{% for v in u.verdicts %}<tr data-requirement="{{ v.requirement }}">
<td class="id"><a href="#r-{{ v.requirement }}">{{ v.requirement }}</a></td><td class="stmt">{{ v.statement }}</td>
<td><a class="st {{ v.cell.status | css }}" href="#{{ v.cell.anchor }}" data-status="{{ v.cell.status.value }}">
{{- v.cell.status | short }}</a></td>
<td class="finding">{{ v.finding }}</td>
<td>{% if v.test %}<a href="#{{ v.test.anchor }}">evidence</a>{% endif %}</td></tr>{% endfor %}
</table>

{% for d in u.directions %}
<h4 id="{{ u.anchor }}-{{ d.anchor_suffix }}">{{ d.name }}: revision <code>{{ d.from_revision }}</code> &rarr;
<code>{{ d.to_revision }}</code>{% if not d.accepted %} <span class="warn">(the apply was refused)</span>{% endif %}
</h4>
<div class="charts">
{% if d.chart %}<figure style="width: {{ d.chart.width }}px">{{ chart(d.chart) }}
<figcaption class="small">Seconds since the <code>kubectl apply</code> (0). The axis starts at the first probe
attempt, so the part left of 0 is the &ldquo;before&rdquo; phase. A pod's bar runs from its old incarnation going
down to its new one Ready on the target revision. Failed reads and writes: each failed probe attempt from its start
for as long as it took, merged where they touch. Marks: 1 the apply, 2 the end of the rollout (every pod Ready on
the target), each also a dashed line.</figcaption></figure>{% endif %}
<div class="stats">
<table class="small phases">
<tr><th rowspan="2">phase</th><th rowspan="2">window (s)</th><th colspan="4">reads</th><th colspan="4">writes</th></tr>
<tr>{% for _ in range(2) %}<th>attempts</th><th>succeeded</th><th>success ratio</th><th>longest gap (s)</th>
{%- endfor %}</tr>
{% for p in d.phases %}<tr data-phase="{{ p.label }}"><td>{{ p.label }}</td>
<td class="num">{% if p.window %}{{ p.window[0] | secs }} to {{ p.window[1] | secs }}{% endif %}</td>
{%- for o in (p.read, p.write) %}{% if o %}<td class="num">{{ o.attempts }}</td><td class="num">{{ o.succeeded }}</td>
<td class="num">{{ o.percent }}</td><td class="num gap">{{ o.longest_gap_s | secs }}</td>
{%- else %}<td colspan="4">not recorded</td>{% endif %}{% endfor %}</tr>{% endfor %}
</table>
<p class="small">rollout end: {% if d.rollout_end_s is not none %}{{ d.rollout_end_s | secs }} s after the apply
{%- else %}<span class="warn">not reached</span>{% endif %}.
{% for op, outcomes in d.failures %}failed {{ op }}s: {{ outcomes or 'none' }}. {% endfor %}</p>
{% if d.replacements %}<table class="small pods">
<tr><th>pod</th><th>down (s)</th><th>Ready on the target (s)</th><th>replaced in (s)</th></tr>
{% for r in d.replacements %}<tr><td>{{ r.pod }}</td>
<td class="num">{{ r.down_s | secs if r.down_s is not none else 'not seen' }}</td>
<td class="num">{{ r.up_s | secs if r.up_s is not none else 'never' }}</td>
<td class="num">{{ (r.up_s - r.down_s) | secs if r.up_s is not none and r.down_s is not none else '' }}</td></tr>
{% endfor %}</table>{% endif %}
</div>
</div>
{% endfor %}

<h4 id="{{ u.anchor }}-proofs">Proof heads: broken heads that must be caught</h4>
<table class="small proofs">
<tr><th>head</th><th>must be caught by</th><th>caught</th><th>first finding</th><th>seconds</th></tr>
{% for p in u.proof_heads %}<tr class="{{ 'missed' if not p.caught else '' }}" data-head="{{ p.head }}"
 data-caught="{{ 'yes' if p.caught else 'no' }}"><td><code>{{ p.head }}</code>
{%- if p.description %}<div>{{ p.description }}</div>{% endif %}</td>
<td><a href="#r-{{ p.catches }}">{{ p.catches }}</a></td>
<td><span class="st {{ 's-passed' if p.caught else 's-failed' }}">
{{- 'yes' if p.caught else 'NO: not caught' }}</span></td>
<td class="finding">{{ p.first_finding or ('' if p.caught else p.catches ~ ' found nothing wrong') }}</td>
<td class="num">{{ p.seconds | secs if p.seconds is not none else '' }}</td>
</tr>{% else %}<tr><td colspan="5" class="{{ '' if u.heads_not_run else 'warn' }}">
{{- u.heads_not_run or 'no proof head recorded' }}</td></tr>{% endfor %}
</table>

<details class="diff"><summary>diff of the rendered sets, base &rarr; head ({{ u.diff_lines }} lines; Secrets are
never shown)</summary>
<pre>{{ u.diff or '(no difference recorded)' }}</pre>
{% if u.diff_cut %}<p class="small warn">{{ u.diff_cut }} more characters of the diff not shown.</p>{% endif %}
</details>
</section>
{% endfor %}
{% endif %}

<h2 id="details">Details</h2>
{% for rid, cells in report.details %}
{% for cell in cells %}
<details class="cell" id="{{ cell.anchor }}" data-status="{{ cell.status.value }}">
<summary><b>{{ rid }}</b> &middot; {{ cell.leg | legtitle }} &middot;
<span class="st {{ cell.status | css }}">{{ cell.status.value }}</span>
{%- if cell.reason %} &middot; {{ cell.reason }}{% endif %}</summary>
{% if not cell.tests %}<p>No test result for this requirement in this leg: {{ cell.reason }}.</p>{% endif %}
{% for t in cell.tests %}{{ test_block(t) }}{% endfor %}
</details>
{% endfor %}
{% endfor %}

{%- set unattributed_failed = report.matrix.unattributed | selectattr('failed_unattributed') | list %}
{% if unattributed_failed %}
<h3 id="failed-without-requirement" class="warn">Failed tests without a requirement ID</h3>
<p class="small">A failed or errored test that no requirement ID names (a deployment step, a fixture error): it
fails the report.</p>
{% for t in unattributed_failed %}{{ test_block(t) }}{% endfor %}
{% endif %}
{%- set unattributed_other = report.matrix.unattributed | rejectattr('failed_unattributed') | list %}
{% if unattributed_other %}
<h3>Tests without a requirement ID</h3>
{% for t in unattributed_other %}{{ test_block(t) }}{% endfor %}
{% endif %}

<h2 id="decisions">Recorded decisions</h2>
<table class="small">
<tr><th>topic</th><th>requirements</th><th>choice</th><th>why</th></tr>
{% for d in report.decisions %}<tr><td>{{ d.topic }}</td><td>{{ d.requirements | join(', ') }}</td>
<td>{{ d.choice }}</td><td>{{ d.why }}</td></tr>{% endfor %}
</table>
{% if report.matrix.ignored %}<p class="small">Files not part of the matrix: {{ report.matrix.ignored | join(', ') }}.
</p>{% endif %}
<p class="small">images.env read from <code>{{ meta.images_env }}</code>.</p>

<script>
/* Open the <details> a link points at (and its ancestors), so a matrix cell always shows its tests. */
function openTarget() {
  var id = decodeURIComponent(location.hash.slice(1));
  var el = id && document.getElementById(id);
  for (var e = el; e; e = e.parentElement) { if (e.tagName === "DETAILS") { e.open = true; } }
  if (el) { el.scrollIntoView({block: "start"}); }
}
window.addEventListener("hashchange", openTarget);
window.addEventListener("DOMContentLoaded", openTarget);
</script>
</body>
</html>
"""

TEST_BLOCK = r"""{% macro test_block(t) %}<details class="test" id="{{ t.anchor }}" open
 data-outcome="{{ t.outcome }}">
<summary><code>{{ t.nodeid }}</code> &middot; <span class="st {{ t.status | css }}">{{ t.outcome }}</span>
<span class="small">{{ '%.2f' | format(t.duration) }} s, run {{ t.run }}
{%- if t.variant %}, rendered for {{ t.variant | legtitle }}{% endif %}</span></summary>
{% if t.requirements %}<div class="small">requirements: {{ t.requirements | join(', ') }}</div>{% endif %}
{% if t.message %}<pre class="message">{{ t.message }}</pre>{% endif %}
{% for v in t.verdicts %}<div class="verdict-data small" data-requirement="{{ v.requirement }}"
 data-verdict="{{ 'waived' if v.waived else 'not_evaluated' if v.unobserved else v.status.value }}">
{#- #}verdict {{ v.requirement }}:
{% if v.waived %}<b class="st s-waived">waived</b> ({{ v.waived_reason }})
{%- elif v.unobserved %}<b class="st s-noteval">not evaluated</b>
{%- if v.unobserved_reason %} ({{ v.unobserved_reason }}){% endif %}
{%- else %}<b>{{ v.status.value | replace('_', ' ') }}</b>
{%- if v.not_applicable_reason %} ({{ v.not_applicable_reason }}){% endif %}{% endif %}
{% if v.findings %}<ul class="findings">{% for f in v.findings %}<li>
{%- if f.object_ref %}<code>{{ f.object_ref }}</code> {% endif %}{% if f.path %}<code>{{ f.path }}</code>: {% endif %}
{{- f.message }}</li>{% endfor %}</ul>{% endif %}
{% for n in v.notes %}<div>note: {{ n }}</div>{% endfor %}</div>{% endfor %}
{% for key, value in t.properties.items() %}<div class="small">{{ key }}:
{% if key == 'upgrade' and t.anchor in upgrade_links %}shown in the
<a href="#{{ upgrade_links[t.anchor] }}">upgrade section</a>
{%- else %}<code>{{ value | tojson_text }}</code>{% endif %}</div>{% endfor %}
{% for label, text in t.evidence %}
<details class="evidence"><summary>evidence: {{ label }}</summary><pre>{{ text }}</pre></details>
{% endfor %}
{% if t.html %}<div class="small"><a href="{{ t.html }}">{{ t.run }} pytest-html report</a></div>{% endif %}
</details>
{% endmacro %}"""

CHART = r"""{% macro chart(c) %}<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"
 width="{{ c.width }}" height="{{ c.height }}" viewBox="0 0 {{ c.width }} {{ c.height }}" aria-label="{{ c.title }}">
<title>{{ c.title }}</title>
{% for t in c.ticks %}<line class="grid" x1="{{ t.x }}" y1="4" x2="{{ t.x }}" y2="{{ c.axis_y }}"/>
<text x="{{ t.x }}" y="{{ c.axis_y + 14 }}" text-anchor="middle">{{ t.label }}</text>{% endfor %}
<line class="axis" x1="{{ c.axis_x0 }}" y1="{{ c.axis_y }}" x2="{{ c.ticks[-1].x }}" y2="{{ c.axis_y }}"/>
{% for y, label in c.labels %}<text x="4" y="{{ y }}">{{ label }}</text>{% endfor %}
{% for r in c.rects %}<rect class="{{ r.css }}" x="{{ r.x }}" y="{{ r.y }}" width="{{ r.width }}"
 height="{{ r.height }}"><title>{{ r.title }}</title></rect>
{% if r.text %}<text x="{{ r.text_x }}" y="{{ r.y + r.height - 4 }}">{{ r.text }}</text>{% endif %}{% endfor %}
{% for x, title in c.marks %}<line class="mark" x1="{{ x }}" y1="4" x2="{{ x }}" y2="{{ c.axis_y }}">
<title>{{ title }}</title></line>{% endfor %}
{% for x0, x1, y in c.baselines %}<line class="base" x1="{{ x0 }}" y1="{{ y }}" x2="{{ x1 }}" y2="{{ y }}"/>{% endfor %}
{% for p in c.points %}<g><title>{{ p.title }}</title><circle class="ev" cx="{{ p.cx }}" cy="{{ p.cy }}" r="7"/>
<text class="evn" x="{{ p.cx }}" y="{{ p.cy + 3 }}" text-anchor="middle">{{ p.number }}</text></g>{% endfor %}
</svg>{% endmacro %}"""


PAGE = TEST_BLOCK + CHART + INDEX

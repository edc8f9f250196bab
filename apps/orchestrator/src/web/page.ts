/**
 * The operator's page (interfaces.md): a project's plan as batches × hosts, tasks coloured by state
 * as a run progresses, a task's output, retry and undo. One self-contained document: no build step,
 * no third-party assets (operators' networks are often closed).
 */
export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ferry</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root{--bg:#0f1720;--fg:#e6edf3;--mute:#8b98a5;--line:#263241;--pending:#3a4654;--sent:#5b7aa6;--running:#3b82f6;--succeeded:#22a06b;--failed:#e5484d;--timed_out:#f76808;--lost:#c2298a;--skipped:#6b7280;--undone:#a78bfa}
body{margin:0;font:14px/1.4 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;gap:.75rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);flex-wrap:wrap}
header h1{font-size:1rem;margin:0 1rem 0 0}input,select,button{background:#17212c;color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:.3rem .5rem}
button{cursor:pointer}button:hover{border-color:var(--mute)}main{display:grid;grid-template-columns:1fr 26rem;gap:1rem;padding:1rem}
#grid{overflow:auto;max-height:78vh}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid var(--line);padding:2px 4px;white-space:nowrap}
th{position:sticky;top:0;background:var(--bg);color:var(--mute);font-weight:500}td.cell{cursor:pointer;min-width:1.4rem}
.chip{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:1px;vertical-align:middle}
#side{border-left:1px solid var(--line);padding-left:1rem;overflow:auto;max-height:78vh}pre{white-space:pre-wrap;background:#0b1118;padding:.5rem;border-radius:4px;max-height:20rem;overflow:auto}
.muted{color:var(--mute)}.legend span{margin-right:.6rem}.err{color:var(--failed)}
</style></head><body>
<header><h1>Ferry</h1>
<label>Token <input id="token" type="password" size="14" placeholder="bearer token"></label>
<label>Project <select id="project"></select></label>
<label>Run <select id="run"><option value="">(plan only)</option></select></label>
<span id="status" class="muted"></span></header>
<main><div><div class="legend" id="legend"></div><div id="grid" class="muted">Enter a token to load projects.</div></div>
<aside id="side"><p class="muted">Click a cell to see its tasks.</p></aside></main>
<script>
const STATES=['pending','sent','running','succeeded','failed','timed_out','lost','skipped','undone'];
const $=(id)=>document.getElementById(id);
let plan=null, states=new Map(), outputs=new Map(), stream=null;
const tokenBox=$('token'); tokenBox.value=localStorage.getItem('ferryToken')||'';
tokenBox.onchange=()=>{localStorage.setItem('ferryToken',tokenBox.value);loadProjects();};
$('legend').innerHTML=STATES.map(s=>'<span><i class="chip" style="background:var(--'+s+')"></i>'+s+'</span>').join('');
function esc(s){return String(s).replace(/[&<>"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));}
async function api(path,opts={}){const r=await fetch(path,{...opts,headers:{...(opts.headers||{}),Authorization:'Bearer '+tokenBox.value}});
 const body=r.headers.get('content-type')?.includes('json')?await r.json():await r.text(); if(!r.ok) throw new Error((body&&body.message)||r.statusText); return body;}
function status(t,err){$('status').textContent=t;$('status').className=err?'err':'muted';}
async function loadProjects(){try{const ps=await api('/projects');$('project').innerHTML=ps.map(p=>'<option value="'+p.id+'">'+esc(p.name)+'</option>').join('');if(ps.length)await loadProject();else status('no projects yet');}catch(e){status(e.message,true);}}
$('project').onchange=loadProject; $('run').onchange=loadRun;
async function loadProject(){const id=$('project').value; states.clear(); plan=null;
 try{const runs=await api('/projects/'+id+'/runs');$('run').innerHTML='<option value="">(plan only)</option>'+runs.map(r=>'<option value="'+r.id+'">'+r.createdAt.slice(0,19)+' '+esc(JSON.stringify(r.command))+' — '+r.state+'</option>').join('');
 plan=await api('/projects/'+id+'/plan?format=json');render();}catch(e){$('grid').textContent=e.message;}}
async function loadRun(){states.clear();outputs.clear();if(stream){stream.abort();stream=null;}const id=$('run').value;if(!id){render();return;}
 const tasks=await api('/runs/'+id+'/tasks?limit=100000');for(const t of tasks){states.set(t.task,t.state);outputs.set(t.task,t);}render();follow(id);}
async function follow(id){stream=new AbortController();try{const r=await fetch('/runs/'+id+'/events',{headers:{Authorization:'Bearer '+tokenBox.value},signal:stream.signal});
 const reader=r.body.getReader();const dec=new TextDecoder();let buf='';for(;;){const {value,done}=await reader.read();if(done)break;buf+=dec.decode(value,{stream:true});
 let i;while((i=buf.indexOf('\\n\\n'))>=0){const chunk=buf.slice(0,i);buf=buf.slice(i+2);let ev='message',data='';for(const line of chunk.split('\\n')){if(line.startsWith('event:'))ev=line.slice(6).trim();else if(line.startsWith('data:'))data+=line.slice(5).trim();}
 if(!data)continue;const d=JSON.parse(data);if(ev==='progress'){for(const u of d.updates)states.set(u.task,u.state);paint();}else if(ev==='state')status('run '+d.state+(d.batch!=null?' · batch '+d.batch:''));}}}catch(e){}}
const MAX_HOSTS=80;
function render(){if(!plan){return;}const hosts=Object.keys(plan.hosts).filter(h=>true);const used=new Set();for(const b of plan.mission)for(const j of b)used.add(plan.tasks[j[0][0]].host);
 const cols=[...used];const shown=cols.slice(0,MAX_HOSTS);let h='<table><tr><th>batch</th><th>phase</th>'+shown.map(c=>'<th>'+esc(c)+'</th>').join('')+(cols.length>MAX_HOSTS?'<th>+'+(cols.length-MAX_HOSTS)+' hosts</th>':'')+'</tr>';
 const phaseOf=(b)=>(plan.phases.find(p=>b>=p.batches[0]&&b<p.batches[1])||{name:''}).name;
 plan.mission.forEach((batch,b)=>{const byHost=new Map(batch.map(j=>[plan.tasks[j[0][0]].host,j.flat()]));h+='<tr><td>'+b+'</td><td>'+esc(phaseOf(b))+'</td>'+shown.map(c=>byHost.has(c)?'<td class="cell" data-b="'+b+'" data-h="'+esc(c)+'"></td>':'<td></td>').join('')+(cols.length>MAX_HOSTS?'<td class="muted">'+batch.length+' jobs</td>':'')+'</tr>';});
 $('grid').innerHTML=h+'</table>';paint();status(plan.name+': '+Object.keys(plan.tasks).length+' tasks, '+plan.mission.length+' batches');}
function paint(){if(!plan)return;for(const td of document.querySelectorAll('td.cell')){const tasks=plan.mission[td.dataset.b].find(j=>plan.tasks[j[0][0]].host===td.dataset.h).flat();
 td.innerHTML=tasks.map(t=>'<i class="chip" title="'+esc(t)+'" style="background:var(--'+(states.get(t)||'pending')+')"></i>').join('');td.onclick=()=>side(tasks);}}
function side(tasks){const run=$('run').value;$('side').innerHTML=tasks.map(t=>{const o=outputs.get(t);const st=states.get(t)||'pending';
 return '<h4><i class="chip" style="background:var(--'+st+')"></i>'+esc(t)+' <span class="muted">'+st+(o?' · attempt '+o.attempt+(o.exitCode!=null?' · exit '+o.exitCode:''):'')+'</span></h4>'+(run?'<button data-t="'+esc(t)+'" data-a="retry">Retry</button> <button data-t="'+esc(t)+'" data-a="undo">Undo</button>':'')+(o&&o.output?'<pre>'+esc(o.output)+'</pre>':'');}).join('');
 for(const b of $('side').querySelectorAll('button'))b.onclick=async()=>{try{await api('/runs/'+run+'/tasks/'+encodeURIComponent(b.dataset.t)+'/'+b.dataset.a,{method:'POST'});status(b.dataset.a+' of '+b.dataset.t+' started');}catch(e){status(e.message,true);}};}
if(tokenBox.value)loadProjects();
</script></body></html>`;

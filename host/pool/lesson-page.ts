/**
 * The classroom pool's page: the room's miners and the four relations of proof-of-work as live
 * charts, drawn from /api/chain and /api/miners every two seconds. One static page, no
 * framework, canvas charts with labelled axes; docs/classroom.md walks a lesson through it.
 */
export const LESSON_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kilohash classroom pool</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#111;color:#eee}
header{padding:10px 16px;background:#1d1d1d;display:flex;flex-wrap:wrap;gap:18px;align-items:baseline}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:0 0 6px}
.k{color:#999;font-size:12px}.v{font-size:18px;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:10px;padding:10px}
.card{background:#1d1d1d;border-radius:6px;padding:10px}
canvas{width:100%;height:220px;display:block}
table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;text-align:right;white-space:nowrap}
th{color:#999;font-weight:normal;font-size:12px}td:first-child,th:first-child{text-align:left}
tr.gone td{color:#666}tr.pruned td{color:#f88}.note{color:#aaa;font-size:12px;margin:4px 0}
code{color:#9cf}form{display:flex;flex-wrap:wrap;gap:8px;align-items:end}label{display:flex;flex-direction:column;font-size:12px;color:#999}
input{width:110px;background:#111;color:#eee;border:1px solid #444;padding:3px}button{background:#2a5;color:#fff;border:0;padding:5px 10px;border-radius:4px;cursor:pointer}
#msg{min-height:1.2em}.err{color:#f88}
</style></head><body>
<header><h1>kilohash classroom pool</h1>
<div><div class="k">height</div><div class="v" id="height">—</div></div>
<div><div class="k">network difficulty</div><div class="v" id="diff">—</div></div>
<div><div class="k">room hash rate (from shares)</div><div class="v" id="roomrate">—</div></div>
<div><div class="k">blocks found</div><div class="v" id="found">—</div></div>
<div><div class="k">block subsidy</div><div class="v" id="subsidy">—</div></div>
<div class="k" id="status">connecting…</div></header>
<div class="grid">
<div class="card" style="grid-column:1/-1"><h2>Miners</h2>
<table id="miners"><thead><tr><th>worker</th><th>hash rate</th><th>share of hash rate</th><th>blocks</th><th>share of blocks</th>
<th>best difficulty</th><th>odds ≥1 block / hour</th><th>/ day</th><th>watts</th><th>cost per block</th><th>break-even price /kWh</th><th></th></tr></thead><tbody></tbody></table>
<p class="note" id="roomnote"></p></div>
<div class="card" id="rel-prob"><h2>1 · Hash rate ↔ probability of a block</h2><canvas id="c-prob" width="880" height="440"></canvas>
<p class="note">Each miner's share of the room's hash rate (left bar) next to its share of the blocks found (right bar). Luck dominates at first; as blocks accumulate the two converge. Odds of at least one block in time <i>t</i>: <code>1 − e^(−h·t / (D·2³²))</code>.</p></div>
<div class="card" id="rel-energy"><h2>2 · Energy price ↔ cost threshold</h2><canvas id="c-energy" width="880" height="440"></canvas>
<p class="note" id="energynote"></p></div>
<div class="card" id="rel-supply"><h2>3 · Difficulty ↔ supply</h2><canvas id="c-supply" width="880" height="440"></canvas>
<p class="note" id="supplynote"></p></div>
<div class="card" id="rel-retarget"><h2>4 · Difficulty adjustment</h2><canvas id="c-retarget" width="880" height="440"></canvas>
<p class="note" id="formula"></p></div>
<div class="card"><h2>Blocks</h2><table id="blocks"><thead><tr><th>height</th><th>time</th><th>after</th><th>difficulty</th><th>subsidy</th><th>finder</th><th>hash</th></tr></thead><tbody></tbody></table></div>
<div class="card"><h2>Lesson controls</h2>
<form id="controls"><label>target block time (s)<input name="targetBlockSeconds" type="number" step="any"></label>
<label>retarget window (blocks)<input name="retargetWindow" type="number" step="1"></label>
<label>difficulty now<input name="difficulty" type="number" step="any"></label>
<label>electricity price /kWh<input name="pricePerKwh" type="number" step="any"></label>
<label>coin price<input name="coinPrice" type="number" step="any"></label>
<label>control password<input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">apply</button><button type="button" id="add">add a simulated miner</button></form>
<p id="msg" class="note"></p></div>
</div>
<script>
const $=(id)=>document.getElementById(id);
const num=(v)=>{if(v==null||!isFinite(v))return '—';const a=Math.abs(v);if(a>=1e3){const p=[[1e18,'E'],[1e15,'P'],[1e12,'T'],[1e9,'G'],[1e6,'M'],[1e3,'k']];for(const[x,s]of p)if(a>=x)return +(v/x).toPrecision(3)+s}return String(+v.toPrecision(3))};
const rate=(v)=>{const p=[[1e12,'TH/s'],[1e9,'GH/s'],[1e6,'MH/s'],[1e3,'kH/s']];for(const[x,s]of p)if(v>=x)return (v/x).toFixed(2)+' '+s;return v.toFixed(0)+' H/s'};
const pct=(v)=>v==null?'—':v>=0.9995?'100 %':v<1e-4&&v>0?v.toExponential(1):(100*v).toFixed(v<0.1?2:1)+' %';
const dur=(s)=>s==null?'—':s<120?s.toFixed(0)+' s':s<7200?(s/60).toFixed(1)+' min':(s/3600).toFixed(1)+' h';
const clock=(t)=>new Date(t*1000).toLocaleTimeString();
const money=(v)=>v==null?'—':v===0?'0':Math.abs(v)<0.01?v.toExponential(2):v.toFixed(2);
const esc=(s)=>String(s).replace(/[&<>"]/g,(c)=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'})[c]);
const who=(w)=>{const i=w.indexOf('.');return i<0?w:w.slice(i+1)||w};
const COLORS=['#6cf','#fc6','#8e8','#f8c','#c9f','#fa6','#6fc','#ccc'];
let chain=null,room=null,controls=null;
function frame(c,x,y){const g=c.getContext('2d');g.clearRect(0,0,c.width,c.height);g.font='20px system-ui';g.lineWidth=2;
const L=90,R=20,T=20,B=60,W=c.width-L-R,H=c.height-T-B;g.strokeStyle='#555';g.fillStyle='#999';g.beginPath();g.moveTo(L,T);g.lineTo(L,T+H);g.lineTo(L+W,T+H);g.stroke();
const px=(v)=>L+(x.max>x.min?(v-x.min)/(x.max-x.min):0.5)*W,py=(v)=>T+H-(y.max>y.min?(v-y.min)/(y.max-y.min):0.5)*H;
g.textAlign='right';for(let i=0;i<=4;i++){const v=y.min+(y.max-y.min)*i/4;g.fillText(y.fmt(v),L-6,py(v)+6)}
g.textAlign='center';if(x.fmt)for(let i=0;i<=4;i++){const v=x.min+(x.max-x.min)*i/4;g.fillText(x.fmt(v),px(v),T+H+24)}
g.fillText(x.label,L+W/2,T+H+50);g.save();g.translate(18,T+H/2);g.rotate(-Math.PI/2);g.fillText(y.label,0,0);g.restore();return{g,px,py,L,W,T,H}}
function hline(f,y,color,text){const{g,px,py,L,W}=f;g.strokeStyle=color;g.setLineDash([8,6]);g.beginPath();g.moveTo(L,py(y));g.lineTo(L+W,py(y));g.stroke();g.setLineDash([]);g.fillStyle=color;g.textAlign='right';g.fillText(text,L+W,py(y)-6)}
function drawProb(){const live=room.miners.filter((m)=>m.connected||m.blocks>0);const c=$('c-prob');
const f=frame(c,{min:0,max:Math.max(1,live.length),label:'miners (left: hash-rate share · right: block share)'},{min:0,max:1,label:'share',fmt:(v)=>(100*v).toFixed(0)+' %'});
const{g,px,py}=f;live.forEach((m,i)=>{const x0=px(i)+10,w=(px(1)-px(0))/2-14;g.fillStyle=COLORS[i%8];g.fillRect(x0,py(m.hashShare),w,py(0)-py(m.hashShare));
g.globalAlpha=0.5;g.fillRect(x0+w+4,py(m.blockShare),w,py(0)-py(m.blockShare));g.globalAlpha=1;g.fillStyle='#ccc';g.textAlign='center';g.fillText(who(m.worker).slice(0,14),x0+w,py(0)+24)})}
function drawEnergy(){const live=room.miners.filter((m)=>m.connected&&m.breakEvenPricePerKwh!=null);const c=$('c-energy');const price=room.prices.pricePerKwh;
const top=Math.max(price*1.5,...live.map((m)=>m.breakEvenPricePerKwh))||1;
const f=frame(c,{min:0,max:Math.max(1,live.length),label:'miners (bar: break-even electricity price)'},{min:0,max:top*1.1,label:'price per kWh',fmt:money});
const{g,px,py}=f;live.forEach((m,i)=>{const x0=px(i)+10,w=px(1)-px(0)-20;g.fillStyle=m.pruned?'#f66':'#6c6';g.fillRect(x0,py(m.breakEvenPricePerKwh),w,py(0)-py(m.breakEvenPricePerKwh));
g.fillStyle='#ccc';g.textAlign='center';g.fillText(who(m.worker).slice(0,14),x0+w/2,py(0)+24)});hline(f,price,'#fc6','price now '+money(price));
const pr=live.filter((m)=>m.pruned).map((m)=>esc(who(m.worker)));
$('energynote').innerHTML='Break-even price = value of a block ÷ energy per expected block = '+money(room.blockValue)+' ÷ (watts × D·2³²/h ÷ 3.6·10⁶ kWh). Red: mining at a loss at '+money(price)+'/kWh'+(pr.length?' — would be switched off: '+pr.join(', '):' — nobody is pruned at this price')+'. Miners that declared no watts are not shown.'}
function drawSupply(){const c=$('c-supply');const b=chain.blocks,i=chain.issuance,now=chain.time;const t0=i.scheduleFrom.time;const pts=b.filter((x)=>x.time>=t0);
const hmax=Math.max(chain.height,i.scheduledHeight)+1,hmin=i.scheduleFrom.height;
const f=frame(c,{min:t0,max:now,label:'time',fmt:clock},{min:hmin,max:hmax,label:'height',fmt:(v)=>v.toFixed(0)});const{g,px,py}=f;
g.strokeStyle='#fc6';g.setLineDash([8,6]);g.beginPath();g.moveTo(px(t0),py(hmin));g.lineTo(px(now),py(i.scheduledHeight));g.stroke();g.setLineDash([]);
g.strokeStyle='#6cf';g.beginPath();g.moveTo(px(t0),py(hmin));let h=hmin;for(const x of pts){g.lineTo(px(x.time),py(h));h=x.height+1;g.lineTo(px(x.time),py(h))}g.lineTo(px(now),py(h));g.stroke();
g.fillStyle='#6cf';g.textAlign='left';g.fillText('blocks mined',px(t0)+8,f.T+24);g.fillStyle='#fc6';g.fillText('schedule: one per '+chain.targetBlockSeconds+' s',px(t0)+8,f.T+48);
$('supplynote').innerHTML='Coins issued: <b>'+num(i.issuedBtc)+'</b>. On schedule the chain issues '+num(i.scheduledBtcPerHour)+' coins per hour ('+num(chain.subsidy)+' per block, one block per '+chain.targetBlockSeconds+' s) whatever the room\\'s hash rate: difficulty, not hash rate, sets the pace. The subsidy halves every '+chain.halvingInterval+' blocks; next halving at height '+i.nextHalvingHeight+' (to '+num(chain.subsidy/2)+').'}
function drawRetarget(){const c=$('c-retarget');const b=chain.blocks.slice(-200);if(b.length<1){frame(c,{min:0,max:1,label:'time'},{min:0,max:1,label:'',fmt:()=>''});}
else{const t0=b[0].time,now=chain.time;const iv=b.slice(1).map((x,k)=>[x.time,x.time-b[k].time]);const top=Math.max(chain.targetBlockSeconds*2,...iv.map((p)=>p[1]))*1.1;
const f=frame(c,{min:t0,max:now,label:'time (dots: seconds since the previous block; line: difficulty)',fmt:clock},{min:0,max:top,label:'block time (s)',fmt:(v)=>v.toFixed(0)});const{g,px,py}=f;
hline(f,chain.targetBlockSeconds,'#fc6','target '+chain.targetBlockSeconds+' s');g.fillStyle='#6cf';for(const[t,s]of iv){g.beginPath();g.arc(px(t),py(s),5,0,7);g.fill()}
const ds=b.map((x)=>[x.time,x.difficulty]).concat([[now,chain.difficulty]]);const dmax=Math.max(...ds.map((p)=>p[1]))*1.1;const dy=(v)=>f.T+f.H-v/dmax*f.H;
g.strokeStyle='#f8c';g.beginPath();ds.forEach(([t,d],k)=>{if(k===0)g.moveTo(px(t),dy(d));else{g.lineTo(px(t),dy(ds[k-1][1]));g.lineTo(px(t),dy(d))}});g.stroke();
g.fillStyle='#f8c';g.textAlign='left';g.fillText('difficulty (peak '+num(dmax/1.1)+')',f.L+8,f.T+24);
for(const r of chain.retargets)if(r.time>=t0){g.strokeStyle='#555';g.beginPath();g.moveTo(px(r.time),f.T);g.lineTo(px(r.time),f.T+f.H);g.stroke()}}
const w=chain.window,D=chain.difficulty,tgt=w.targetSeconds,act=w.elapsedSeconds,used=Math.min(4*tgt,Math.max(tgt/4,act));const last=chain.retargets[chain.retargets.length-1];
$('formula').innerHTML='Every '+chain.retargetWindow+' blocks: <code>new D = D × target time ÷ actual time</code>, the actual time clamped to [target ÷ 4, target × 4]. '+
(w.blocks===0?'A new window has just begun. ':'This window: '+w.blocks+' of '+chain.retargetWindow+' blocks in '+act.toFixed(0)+' s (target '+tgt.toFixed(0)+' s); were it to end now: <code>'+num(D)+' × '+tgt.toFixed(0)+' s ÷ '+used.toFixed(0)+' s = '+num(D*tgt/used)+'</code>'+(used!==act?' (clamped)':'')+'. ')+
(last?'Last retarget at height '+last.height+': '+last.actualSeconds.toFixed(0)+' s for '+last.targetSeconds.toFixed(0)+' s → '+num(last.from)+' → '+num(last.to)+'.':'No retarget yet.')}
function tables(){const tb=$('miners').tBodies[0];tb.innerHTML=room.miners.map((m)=>'<tr class="'+(m.connected?m.pruned?'pruned':'':'gone')+'"><td title="'+esc(m.worker)+'"><span class="w">'+esc(m.worker?who(m.worker):'#'+m.client)+'</span>'+(m.connected?'':' (gone)')+(m.problem?'<div class="k">⚠ '+esc(m.problem)+'</div>':'')+'</td><td>'+rate(m.hashRate)+'</td><td>'+pct(m.hashShare)+'</td><td>'+m.blocks+'</td><td>'+pct(m.blockShare)+'</td><td>'+num(m.bestDifficulty)+'</td><td>'+pct(m.odds.hour)+'</td><td>'+pct(m.odds.day)+'</td><td>'+(m.watts==null?'—':m.watts)+'</td><td>'+money(m.costPerBlock)+'</td><td>'+money(m.breakEvenPricePerKwh)+'</td><td>'+(m.connected&&controls&&controls.simulatedMiners?'<button data-stop="'+m.client+'">stop</button>':'')+'</td></tr>').join('');
$('roomnote').textContent='Hash rate is what the pool sees: accepted share difficulty × 2³² per second over the last two minutes. Room: '+rate(room.roomHashRate)+', '+num(room.roomWatts)+' W declared; a block is worth '+money(room.blockValue)+' at the coin price set below.';
$('blocks').tBodies[0].innerHTML=chain.blocks.slice(-15).reverse().map((b,k,a)=>'<tr><td>'+b.height+'</td><td>'+clock(b.time)+'</td><td>'+(a[k+1]?dur(b.time-a[k+1].time):'')+'</td><td>'+num(b.difficulty)+'</td><td>'+num(b.subsidy)+'</td><td title="'+esc(b.finder)+'">'+esc(who(b.finder))+'</td><td><code>'+b.hash.slice(0,16)+'…</code></td></tr>').join('')}
async function tick(){try{[chain,room]=await Promise.all([fetch('/api/chain?blocks=300').then((r)=>r.json()),fetch('/api/miners').then((r)=>r.json())]);
$('height').textContent=chain.height;$('diff').textContent=num(chain.difficulty);$('roomrate').textContent=rate(room.roomHashRate);$('found').textContent=chain.blocksFound;$('subsidy').textContent=num(chain.subsidy);
$('status').textContent='updated '+clock(chain.time);if(controls)showControls(await (await fetch('/api/controls')).json());tables();drawProb();drawEnergy();drawSupply();drawRetarget()}catch(e){$('status').textContent='no answer from the pool: '+e.message}}
async function loadControls(){showControls(await (await fetch('/api/controls')).json())}
function showControls(c){const old=controls;controls=c;for(const[k,v]of Object.entries(c.values)){const e=document.querySelector('[name='+k+']');if(e&&document.activeElement!==e&&(!old||e.value===''||+e.value===+(+old.values[k]).toPrecision(6)))e.value=+(+v).toPrecision(6)}
$('add').style.display=controls.simulatedMiners?'':'none';if(controls.locked)$('msg').textContent='Controls are off: start the pool with --control-password.'}
async function post(path,body){const pw=document.querySelector('[name=password]').value;const r=await fetch(path,{method:'POST',headers:{'content-type':'application/json',authorization:'Bearer '+pw},body:JSON.stringify(body)});
const j=await r.json().catch(()=>({error:r.statusText}));$('msg').className=r.ok?'note':'note err';$('msg').textContent=r.ok?'done':j.error;if(r.ok){await loadControls();tick()}}
$('controls').addEventListener('submit',(e)=>{e.preventDefault();const body={};for(const k of Object.keys(controls.values)){const el=document.querySelector('[name='+k+']');const v=Number(el.value);if(el.value!==''&&v!==+(+controls.values[k]).toPrecision(6))body[k]=v}
if(Object.keys(body).length===0){$('msg').textContent='nothing changed';return}post('/api/controls',body)});
$('add').addEventListener('click',()=>post('/api/miners',{add:1}));$('miners').addEventListener('click',(e)=>{const s=e.target.dataset&&e.target.dataset.stop;if(s)post('/api/miners',{stop:Number(s)})});
loadControls().then(tick);setInterval(tick,2000);
</script></body></html>`;

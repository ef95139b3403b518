/**
 * The web dashboard: one static page, no framework, served from the ESP32's flash, so it is
 * held to DASHBOARD_BUDGET_BYTES (a test checks). It polls /api/status every two seconds and
 * charts the hash rate and the accepted shares against time. Numbers read as miners write
 * them (difficulty 1.17k / 4.29G, hash rates with units); the odds and money are those of the
 * network the payout address is on, labelled with it (status.network.label).
 */
export const DASHBOARD_BUDGET_BYTES = 10_240;

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kilohash</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#111;color:#eee}
header{padding:12px 16px;background:#1d1d1d;display:flex;flex-wrap:wrap;gap:16px;align-items:baseline}
h1{font-size:18px;margin:0}#state{color:#8c8}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:10px;padding:12px}
.c{background:#1d1d1d;border-radius:6px;padding:10px}.c b{display:block;font-size:22px}
.c span{color:#999;font-size:12px}canvas{width:100%;height:180px;background:#1d1d1d;border-radius:6px}
section{padding:0 12px 12px;display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:10px}
</style></head><body>
<header><h1>kilohash</h1><div id="state">connecting…</div><div id="pool"></div></header>
<main>
<div class="c"><span>hash rate (core counter, 1 min)</span><b id="hashrate">—</b><span id="hashrate10">—</span></div>
<div class="c"><span>hash rate from shares (10 min)</span><b id="sharerate">—</b></div>
<div class="c"><span>shares accepted / rejected / stale</span><b id="shares">—</b></div>
<div class="c"><span>best difficulty: session / ever</span><b id="best">—</b></div>
<div class="c"><span>network difficulty</span><b id="netdiff">—</b><span id="nethash"></span><br><span id="netlabel"></span></div>
<div class="c"><span>odds of a block per day</span><b id="odds">—</b><span id="eta"></span></div>
<div class="c"><span>energy cost per day · break-even price</span><b id="money">—</b><span id="value"></span></div>
<div class="c"><span>hardware errors · uptime</span><b id="hw">—</b></div>
</main>
<section><canvas id="chart" width="640" height="220"></canvas><canvas id="chart2" width="640" height="220"></canvas></section>
<script>
const $=(id)=>document.getElementById(id);
const si=(v,u)=>{const p=[[1e15,'P'],[1e12,'T'],[1e9,'G'],[1e6,'M'],[1e3,'k']];for(const[x,s]of p)if(v>=x)return +(v/x).toPrecision(3)+' '+s+u;return +v.toFixed(v<10?2:0)+' '+u};
const diff=(v)=>{const p=[[1e15,'P'],[1e12,'T'],[1e9,'G'],[1e6,'M'],[1e3,'k']];for(const[x,s]of p)if(v>=x)return +(v/x).toFixed(2)+s;return v>=1?String(+v.toFixed(2)):String(+v.toPrecision(3))};
const dur=(s)=>s==null?'never':s<120?s.toFixed(0)+' s':s<7200?(s/60).toFixed(0)+' min':s<172800?(s/3600).toFixed(1)+' h':s<63e6?(s/86400).toFixed(0)+' days':(s/31557600).toExponential(2)+' years';
const odds=(p)=>p>=0.9995?'certain':p<1e-4?p.toExponential(2):(100*p).toFixed(2)+' %';
const money=(v)=>v==null?'—':v!==0&&Math.abs(v)<0.01?v.toExponential(2):v.toFixed(2);
const clock=(t,sec)=>new Date(t).toLocaleTimeString([],sec?{hour:'2-digit',minute:'2-digit',second:'2-digit'}:{hour:'2-digit',minute:'2-digit'});
const hist=[];
function plot(c,key,fmt,color,label){const g=c.getContext('2d'),W=c.width,H=c.height,L=70,B=26;g.clearRect(0,0,W,H);g.font='12px system-ui';g.fillStyle='#999';
g.fillText(label,L,14);if(hist.length<2)return;const t0=hist[0].t,t1=hist[hist.length-1].t;const vs=hist.map((h)=>h[key]);const lo=key==='a'?Math.min(...vs):0,hi=Math.max(...vs,lo+1e-9)*1.05;
const x=(t)=>L+(t-t0)/(t1-t0||1)*(W-L-10),y=(v)=>H-B-(v-lo)/(hi-lo)*(H-B-22);g.strokeStyle='#444';g.beginPath();g.moveTo(L,22);g.lineTo(L,H-B);g.lineTo(W-10,H-B);g.stroke();
g.textAlign='right';for(let i=0;i<=3;i++){const v=lo+(hi-lo)*i/3;g.fillText(fmt(v),L-4,y(v)+4)}for(let i=0;i<=3;i++){const t=t0+(t1-t0)*i/3;g.textAlign=i?i<3?'center':'right':'left';g.fillText(clock(t,t1-t0<6e5),x(t),H-8)}
g.strokeStyle=color;g.lineWidth=2;g.beginPath();hist.forEach((h,i)=>i?g.lineTo(x(h.t),y(h[key])):g.moveTo(x(h.t),y(h[key])));g.stroke();g.lineWidth=1}
async function tick(){try{const s=await (await fetch('/api/status')).json();
$('state').textContent=s.state;$('pool').textContent=s.pool.url+' · '+s.pool.user+' · share difficulty '+diff(s.pool.difficulty);
$('hashrate').textContent=si(s.hashRate.counter.m1,'H/s');$('hashrate10').textContent='10 min '+si(s.hashRate.counter.m10,'H/s')+' · 1 h '+si(s.hashRate.counter.h1,'H/s');
$('sharerate').textContent=si(s.hashRate.shares.m10,'H/s');
$('shares').textContent=s.shares.accepted+' / '+s.shares.rejected+' / '+s.shares.stale;
$('best').textContent=diff(s.bestDifficulty.session)+' / '+diff(s.bestDifficulty.ever);
const n=s.network,e=s.energy;if(n){$('netlabel').textContent=n.label;$('netdiff').textContent=diff(n.difficulty);
$('nethash').textContent=(n.hashRate!=null?'network ≈ '+si(n.hashRate,'H/s'):'network hash rate: see the pool')+(n.height!=null?' · height '+n.height:'')}
if(s.odds){$('odds').textContent=odds(s.odds.perDay);$('eta').textContent='expected block in '+dur(s.odds.expectedSecondsToBlock)}
$('money').textContent=money(e.costPerDay)+' · '+(e.breakEvenPricePerKwh!=null?money(e.breakEvenPricePerKwh)+'/kWh':'—');
$('value').textContent=e.watts+' W at '+e.pricePerKwh+'/kWh · '+(e.expectedValuePerDay==null?'coin value: the pool\\'s (local chain)':n&&n.kind==='test'?'test coins: no value':'expected value '+money(e.expectedValuePerDay)+'/day');
$('hw').textContent=s.core.hardwareErrors+' · '+dur(s.uptimeSeconds);
hist.push({t:Date.now(),h:s.hashRate.counter.m1,a:s.shares.accepted});if(hist.length>900)hist.shift();
plot($('chart'),'h',(v)=>si(v,'H/s'),'#6cf','hash rate (core counter, 1 min)');plot($('chart2'),'a',(v)=>String(+v.toFixed(1)),'#8e8','shares accepted')}catch(e){$('state').textContent='no answer from the miner'}}
tick();setInterval(tick,2000);
</script></body></html>`;

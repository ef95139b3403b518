/**
 * The web dashboard: one static page, no framework, a few kilobytes so the ESP32 can serve
 * it from flash. It polls /api/status every two seconds and draws the hash rate as a chart.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kilohash</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#111;color:#eee}
header{padding:12px 16px;background:#1d1d1d;display:flex;gap:16px;align-items:baseline}
h1{font-size:18px;margin:0}#state{color:#8c8}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px;padding:12px}
.c{background:#1d1d1d;border-radius:6px;padding:10px}.c b{display:block;font-size:22px}
.c span{color:#999;font-size:12px}canvas{width:100%;height:160px;background:#1d1d1d;border-radius:6px}
section{padding:0 12px 12px}
</style></head><body>
<header><h1>kilohash</h1><div id="state">connecting…</div><div id="pool"></div></header>
<main>
<div class="c"><span>hash rate (core counter, 1 min)</span><b id="hashrate">—</b><span id="hashrate10">—</span></div>
<div class="c"><span>hash rate from shares (10 min)</span><b id="sharerate">—</b></div>
<div class="c"><span>shares accepted / rejected / stale</span><b id="shares">—</b></div>
<div class="c"><span>best difficulty: session / ever</span><b id="best">—</b></div>
<div class="c"><span>network difficulty</span><b id="netdiff">—</b><span id="nethash"></span></div>
<div class="c"><span>odds of a block per day</span><b id="odds">—</b><span id="eta"></span></div>
<div class="c"><span>energy cost / expected value per day</span><b id="money">—</b></div>
<div class="c"><span>hardware errors · uptime</span><b id="hw">—</b></div>
</main>
<section><canvas id="chart" width="800" height="160"></canvas></section>
<script>
const $=(id)=>document.getElementById(id);
const si=(v,u)=>{const p=[[1e15,'P'],[1e12,'T'],[1e9,'G'],[1e6,'M'],[1e3,'k']];for(const[x,s]of p)if(v>=x)return(v/x).toFixed(2)+' '+s+u;return v.toFixed(v<10?2:0)+' '+u};
const dur=(s)=>s==null?'never':s<120?s.toFixed(0)+' s':s<7200?(s/60).toFixed(0)+' min':s<172800?(s/3600).toFixed(1)+' h':s<63e6?(s/86400).toFixed(0)+' days':(s/31557600).toExponential(2)+' years';
const hist=[];
function draw(){const c=$('chart'),g=c.getContext('2d');g.clearRect(0,0,c.width,c.height);if(hist.length<2)return;
const m=Math.max(...hist)*1.1||1;g.strokeStyle='#6cf';g.lineWidth=2;g.beginPath();
hist.forEach((v,i)=>{const x=i*c.width/(hist.length-1),y=c.height-v/m*(c.height-10);i?g.lineTo(x,y):g.moveTo(x,y)});g.stroke();
g.fillStyle='#999';g.fillText(si(m/1.1,'H/s'),4,12)}
async function tick(){try{const s=await (await fetch('/api/status')).json();
$('state').textContent=s.state;$('pool').textContent=s.pool.url+' · '+s.pool.user+' · difficulty '+s.pool.difficulty;
$('hashrate').textContent=si(s.hashRate.counter.m1,'H/s');$('hashrate10').textContent='10 min '+si(s.hashRate.counter.m10,'H/s')+' · 1 h '+si(s.hashRate.counter.h1,'H/s');
$('sharerate').textContent=si(s.hashRate.shares.m10,'H/s');
$('shares').textContent=s.shares.accepted+' / '+s.shares.rejected+' / '+s.shares.stale;
$('best').textContent=si(s.bestDifficulty.session,'')+' / '+si(s.bestDifficulty.ever,'');
if(s.network){$('netdiff').textContent=si(s.network.difficulty,'');$('nethash').textContent='network ≈ '+si(s.network.hashRate,'H/s')+(s.network.height!=null?' · height '+s.network.height:'')}
if(s.odds){$('odds').textContent=s.odds.perDay<1e-4?s.odds.perDay.toExponential(2):(100*s.odds.perDay).toFixed(2)+' %';$('eta').textContent='expected block in '+dur(s.odds.expectedSecondsToBlock)}
$('money').textContent=s.energy.costPerDay.toFixed(3)+' / '+s.energy.expectedValuePerDay.toExponential(2);
$('hw').textContent=s.core.hardwareErrors+' · '+dur(s.uptimeSeconds);
hist.push(s.hashRate.counter.m1);if(hist.length>300)hist.shift();draw()}catch(e){$('state').textContent='no answer from the miner'}}
tick();setInterval(tick,2000);
</script></body></html>`;

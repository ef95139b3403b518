/**
 * The settings page: the first-boot setup form on the device's access point and the settings
 * form in station mode. It reads /api/system/settings (secrets come back only as set / not
 * set, so a password field left empty keeps the stored one) and PATCHes /api/system; the
 * server validates every field and answers with a message per field.
 */
export const SETTINGS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kilohash settings</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:560px;padding:12px;background:#111;color:#eee}
label{display:block;margin:8px 0 2px}input{width:100%;box-sizing:border-box;padding:6px;background:#222;color:#eee;border:1px solid #444}input[type=checkbox]{width:auto}
.err{color:#f88;font-size:13px}button{margin-top:14px;padding:8px 16px}#msg{margin-top:10px}</style></head><body>
<h1>kilohash settings</h1><form id="f"></form>
<label>admin password (needed to save, unless this is the first setup)</label><input id="auth" type="password">
<button id="save">Save</button> <button id="restart">Save and restart mining</button><div id="msg"></div>
<p><a href="/">dashboard</a></p>
<script>
const F=[['wifiSSID','Wi-Fi network'],['wifiPassword','Wi-Fi password','password'],['stratumURL','pool URL (stratum+tcp://host:port)'],
['stratumUser','pool user (your Bitcoin address[.worker])'],['stratumPassword','pool password','password'],['fallbackStratumURL','backup pool URL'],
['fallbackStratumUser','backup pool user'],['fallbackStratumPassword','backup pool password','password'],['suggestDifficulty','suggested share difficulty (0: pool decides)','number'],
['power','board power, W','number'],['pricePerKwh','electricity price per kWh','number'],['coinPrice','price of one bitcoin','number'],['feesBtc','fees per block, BTC','number'],
['extranonceSubscribe','ask the pool for extranonce changes','checkbox'],['hostname','board name on the network (empty: kilohash)'],
['apiAccess','who may change settings: password, or local-network (any device on your network, as AxeOS)'],
['adminPassword','new admin password (8+ characters; empty keeps it)','password']];
const f=document.getElementById('f');let cur={};
for(const[k,l,t]of F){f.insertAdjacentHTML('beforeend','<label for="'+k+'">'+l+'</label><input id="'+k+'" type="'+(t||'text')+'"><div class="err" id="e_'+k+'"></div>')}
fetch('/api/system/settings').then(r=>r.json()).then(s=>{cur=s;for(const[k,,t]of F){const e=document.getElementById(k);if(t==='password')e.placeholder=s[k]?'(set — leave empty to keep)':'(not set)';else if(t==='checkbox')e.checked=!!s[k];else e.value=s[k]??''}});
async function save(restart){const body={};for(const[k,,t]of F){const e=document.getElementById(k);if(t==='checkbox'){if(e.checked!==!!cur[k])body[k]=e.checked;continue}const v=e.value;if(t==='password'&&v==='')continue;if(t!=='password'&&String(cur[k]??'')===v)continue;body[k]=t==='number'?Number(v):v}
for(const[k]of F)document.getElementById('e_'+k).textContent='';
const h={'content-type':'application/json'};const a=document.getElementById('auth').value;if(a)h.authorization='Bearer '+a;
const r=await fetch('/api/system',{method:'PATCH',headers:h,body:JSON.stringify(body)});const j=await r.json();const m=document.getElementById('msg');
if(!r.ok){m.textContent=j.error;for(const[k,v]of Object.entries(j.fields||{})){const e=document.getElementById('e_'+k);if(e)e.textContent=v}return}
m.textContent='saved';if(restart){await fetch('/api/system/restart',{method:'POST',headers:h});m.textContent='saved; restarting'}}
document.getElementById('save').onclick=()=>save(false);document.getElementById('restart').onclick=()=>save(true);
</script></body></html>`;

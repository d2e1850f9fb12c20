// libphonenumber-js (`max` metadata) on the same list as benches/phone.rs, the same work:
// parse with the default region, validity, type, E.164 and the international format.
// Usage: node scripts/phone-bench.mjs list.tsv   (run by scripts/phone-bench.sh)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.PHONE_BENCH_NODE_MODULES + '/');
const t0 = process.hrtime.bigint();
const lib = require('libphonenumber-js/max');
const loadUs = Number(process.hrtime.bigint() - t0) / 1000;
const list = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)
  .map((l) => { const [n, r] = l.split('\t'); return [n, r || undefined]; });

function check(n, r) {
  const p = lib.parsePhoneNumberFromString(n, r);
  if (!p || !p.isValid()) return null;
  return [p.number, p.getType(), p.country, p.formatInternational()];
}

let t = process.hrtime.bigint();
check(list[0][0], list[0][1]);
const firstUs = Number(process.hrtime.bigint() - t) / 1000;

const rounds = 5;
let valid = 0;
t = process.hrtime.bigint();
for (let k = 0; k < rounds; k++) for (const [n, r] of list) if (check(n, r)) valid++;
const secs = Number(process.hrtime.bigint() - t) / 1e9;

const lat = new Float64Array(list.length);
list.forEach(([n, r], i) => {
  const s = process.hrtime.bigint();
  check(n, r);
  lat[i] = Number(process.hrtime.bigint() - s);
});
lat.sort();
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))];
console.log(JSON.stringify({
  engine: 'libphonenumber-js/max ' + require('libphonenumber-js/package.json').version,
  numbers: list.length, valid: valid / rounds, per_sec: Math.round(rounds * list.length / secs),
  first_call_us: +(firstUs + loadUs).toFixed(1), first_call_after_load_us: +firstUs.toFixed(1),
  p50_ns: q(0.5), p99_ns: q(0.99), p999_ns: q(0.999), max_ns: lat[lat.length - 1],
}));

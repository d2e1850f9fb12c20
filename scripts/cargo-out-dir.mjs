// Reads cargo's JSON messages (`--message-format=json…`) on stdin and prints the out dir of
// signup-guard's build script in that very build (not the newest on disk: test and wasm builds
// have their own). Used by build-wasm.sh (phone data files) and phone-table-size.sh.
import { readFileSync } from "node:fs";

let dir = "";
for (const line of readFileSync(0, "utf8").split("\n")) {
  try {
    const m = JSON.parse(line);
    if (m.reason === "build-script-executed" && /signup-guard/.test(m.package_id)) dir = m.out_dir;
  } catch {}
}
process.stdout.write(dir);

// A form builder's code against the hand-written types in pkg/ (checked by `tsc -p types`):
// if the .d.ts files stop describing the API as documented, this stops compiling.
import init, { validateField, validate, consentReceipt, consentPurposes, dataVersions, loadPhoneData, phoneDataFor, phoneEngineFor, usePhoneEngine, formatAsYouType, phoneRegions, type Verdict, type Pending, type Policy } from "signup-guard";
import { ready } from "signup-guard/drop-in";

await init();
const policy: Policy = { id: "acme-news", version: "3", purposes: [{ id: "newsletter", channel: "email", text: { en: "Email me." } }] };
const engine: string | undefined = phoneEngineFor();
if (engine) usePhoneEngine((await WebAssembly.instantiate(await (await fetch(new URL(engine, import.meta.url))).arrayBuffer())).instance);
const file: string | undefined = phoneDataFor("ID");
if (file) loadPhoneData(new Uint8Array(await (await fetch(new URL(file, import.meta.url))).arrayBuffer()));
const phone = validateField("phone", "0812-3456-7890", { country: "ID", locale: "id", policy });
const display: string | null = phone.pending ? null : phone.display;
const needs: string[] = phone.pending ? phone.needs : [];
const firstCode: string | undefined = phone.issues[0]?.code;
const verdict: Verdict | Pending = validate({ email: "a@example.org", consent: consentReceipt(policy, ["newsletter"], "en") }, policy);
const hashes: string[] = consentPurposes(policy, "fa").map((p) => p.text_hash);
const phoneData: string | null = dataVersions().phone_metadata.version;
const typed = formatAsYouType("0812345", "ID");
const shown: string = typed.text;
const toLoad: string[] = typed.pending ? typed.needs : [];
const code: number | undefined = typed.pending ? undefined : typed.callingCode;
const regions: [string, number][] = phoneRegions();
console.log(shown, toLoad, code, regions.length);
const api = await ready;
api.validateField("email", "a@example.org");
// @ts-expect-error the drop-in's module leaves whole submissions to the verifier
api.validate({ email: "a@example.org" });
// @ts-expect-error and writes the consent receipt from the boxes it shows
api.consentReceipt(policy, [], "en");
document.querySelector("form")?.addEventListener("signup-guard:valid", (e) => {
  e.preventDefault();
  void fetch("/v1/submissions", { method: "POST", body: JSON.stringify(e.detail.submission) });
  console.log(display, needs, firstCode, verdict.pending || verdict.contact?.phone_e164, hashes, phoneData, e.detail.verdict.ok);
});

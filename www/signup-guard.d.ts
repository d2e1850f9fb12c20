// The JS API of signup-guard's WebAssembly module (`import … from "signup-guard"`).
// Hand-written: these are the JSON shapes the core returns, the same the HTTP service sends
// (DESIGN §2). A failed validation is a returned value; only a malformed call throws a TypeError.

/** A form field, by its wire name. */
export type FieldName = "email" | "phone" | "given_name" | "family_name" | "country";

/** Where an issue belongs: a field, the consent block, or the submission as a whole. */
export type IssueField = FieldName | "custom" | "consent" | "submission";

/** `error` blocks the submission; `warning` only advises (typo suggestion, role account…). */
export type Severity = "error" | "warning";

/** libphonenumber's number types. */
export type PhoneType =
  | "mobile" | "fixed_line" | "fixed_line_or_mobile" | "toll_free" | "premium_rate"
  | "shared_cost" | "voip" | "personal_number" | "pager" | "uan" | "voicemail";

/** One problem (or advice) about one field. */
export interface Issue {
  field: IssueField;
  /** Stable machine code, `family.reason` (`"email.tld_unknown"`). */
  code: string;
  severity: Severity;
  /** Values that fill the message. */
  params: Record<string, string>;
  /** A corrected whole value the person can accept with one click. */
  suggestion?: string;
  /** The message in the requested locale (`en`, `ar`, `fa`, `id`; English otherwise). */
  message: string;
}

/** The answer for one value of one field (`validateField`). */
export interface FieldVerdict {
  input: string;
  ok: boolean;
  /** Stored form: E.164 for phones, the stored address for emails, the code for countries. */
  normalized: string | null;
  /** Form to show: international phone format, U-label email. */
  display: string | null;
  /** Deduplication key (emails and phones). */
  key: string | null;
  phone_type?: PhoneType;
  region?: string;
  issues: Issue[];
  /** Never set on a verdict: see `Pending`. */
  pending?: undefined;
}

/**
 * Not a verdict: the phone data a number needs, the email data file an address needs, or
 * the message catalogue of the answer's locale is not loaded yet (`validateField` and `validate`
 * answer this). Fetch each file in `needs` (beside the module, e.g. `new URL(name, import.meta.url)`),
 * pass its bytes to `loadPhoneData` (`phone-*.bin`), `loadEmailData` (`email.*.txt`, `unicode.*.bin`) or
 * `loadMessages` (`messages-*.txt`), and ask again. The phone engine is such a file too
 * (`phone-engine.<hash>.wasm`): instantiate it, with no imports, and pass the instance to
 * `usePhoneEngine`.
 */
export interface Pending {
  pending: true;
  /** Data files to load, e.g. `["phone-62.89510499f286f371.bin"]`. */
  needs: string[];
  ok: false;
  issues: [];
  /** What a form may show while it waits ("Checking this phone number…"), in the answer's locale. */
  message: string;
}

/** What a signup form sends; every field optional, the policy says what is required. */
export interface Submission {
  email?: string;
  phone?: string;
  given_name?: string;
  family_name?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** BCP 47 tag of the page's language. */
  locale?: string;
  consent?: ConsentClaim;
  /** Values of the policy's custom fields, by id. */
  custom?: Record<string, CustomValue>;
  /** Where the signup came from (attribution; the drop-in fills it from the page). */
  source?: Source;
}

/** Page path, UTM parameters and form id; bounded and cleaned by the core, never required. */
export interface Source {
  /** URL path; a query string or fragment is cut. */
  path?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  /** The form's `data-form-id`. */
  form_id?: string;
}

/** A custom field's value: text, a multi-select's options, a checkbox, a whole number. */
export type CustomValue = string | string[] | boolean | number;

/** The kinds of custom field a policy may define. */
export type CustomKind = "text" | "select" | "multi_select" | "checkbox" | "number" | "date" | "url";

/** Purposes granted and the SHA-256 of every purpose text shown (`consentReceipt`). */
export interface ConsentClaim {
  policy_id: string;
  policy_version: string;
  granted: string[];
  /** Purpose id → lowercase hex SHA-256 of the exact text shown. */
  shown: Record<string, string>;
  /** The browser's clock, ISO 8601 (recorded as claimed, never trusted). */
  collected_at?: string;
}

/** The normalized contact, present exactly when the verdict is ok. */
export interface Contact {
  email: string | null;
  email_display: string | null;
  email_key: string | null;
  phone_e164: string | null;
  phone_type: PhoneType | null;
  phone_display: string | null;
  phone_extension?: string;
  given_name: string | null;
  family_name: string | null;
  country: string | null;
  locale: string;
  consent: string[];
  /** The custom fields with a value, normalized. */
  custom?: Record<string, CustomValue>;
  /** The source as kept: cleaned, absent when nothing of it was kept. */
  source?: Source;
}

/** The answer to a whole submission (`validate`). */
export interface Verdict {
  ok: boolean;
  contact: Contact | null;
  /** Every error and warning, in form order. */
  issues: Issue[];
  /** Never set on a verdict: see `Pending`. */
  pending?: undefined;
}

export interface FieldRule { required?: boolean; max_chars?: number }

/** The policy file the server loads and the browser fetches (`GET /v1/policy`). */
export interface Policy {
  id: string;
  version: string;
  controller?: { name: string; contact?: string; privacy_url?: string };
  default_country?: string;
  fields?: {
    email?: FieldRule;
    phone?: { required?: boolean; types?: PhoneType[] };
    given_name?: FieldRule;
    family_name?: FieldRule;
    country?: FieldRule;
  };
  purposes?: Array<{
    id: string;
    channel: "email" | "sms" | "phone";
    required?: boolean;
    /** Text per locale; `en` is mandatory. */
    text: Record<string, string>;
  }>;
  retention_days?: number;
  /** Double opt-in: signups count only once the address is confirmed from a mailed link. */
  confirm?: "email";
  /** Days the confirmation link works (default 7). */
  confirm_within_days?: number;
  /** Fields the form owner defines, in form order. */
  custom_fields?: Array<{
    id: string;
    type: CustomKind;
    required?: boolean;
    label: Record<string, string>;
    help?: Record<string, string>;
    min_chars?: number;
    max_chars?: number;
    /** Whole-value match; a small regex subset (see the README). */
    pattern?: string;
    options?: Array<{ value: string; label: Record<string, string> }>;
    min?: number;
    max?: number;
  }>;
}

/** One embedded data set: its upstream release (`null` for a list curated here) and date. */
export interface DataVersion {
  version: string | null;
  /** The release's date (a curated list: its last review), `YYYY-MM-DD`. */
  date: string;
}

/** What `dataVersions()` returns, and `data_versions` in the server's `GET /healthz`. */
export interface DataVersions {
  /** libphonenumber's metadata, compiled into the phone tables. */
  phone_metadata: DataVersion;
  /** The IANA root zone (npm `tlds` release) email domains are checked against. */
  tlds: DataVersion;
  /** The curated mailbox providers behind "did you mean …?". */
  providers: DataVersion;
}

/** A consent purpose as the form shows it (`consentPurposes`). */
export interface ShownPurpose {
  id: string;
  channel: "email" | "sms" | "phone";
  required: boolean;
  /** The exact text to display; its hash is what the receipt carries. */
  text: string;
  text_hash: string;
}

/** Context for one field: the person's country (phone default region), locale, policy. */
export interface FieldContext {
  country?: string | null;
  locale?: string | null;
  /** A policy object or its JSON text; the same object is parsed once and cached. */
  policy?: Policy | string | null;
}

/** Loads the WebAssembly module (from `signup_guard_bg.wasm` beside this file by default). */
export default function init(
  module_or_path?: { module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }
    | RequestInfo | URL | Response | BufferSource | WebAssembly.Module,
): Promise<unknown>;

/** Loads the module synchronously from bytes or a compiled module (Node, workers). */
export function initSync(module: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;

/** Checks one value of one field: what a form runs on blur and input. */
export function validateField(field: FieldName, value: string, ctx?: FieldContext): FieldVerdict | Pending;

/** Validates a whole submission against a policy: the verdict the server would give. */
export function validate(submission: Submission, policy?: Policy | string | null): Verdict | Pending;

/** Loads one phone data file (its bytes) of this build and answers its calling code; other bytes throw. */
export function loadPhoneData(bytes: Uint8Array): number;

/**
 * Takes the phone engine: the instance of `phone-engine.<hash>.wasm`, a module of its own that
 * pages without a phone number never load (`(await WebAssembly.instantiate(bytes)).instance`).
 * Anything else throws; a build made with `--regions` has the engine inside and throws too.
 */
export function usePhoneEngine(instance: WebAssembly.Instance): void;

/** The phone engine file (`"phone-engine.<hash>.wasm"`) while it is not in use, else `undefined`. */
export function phoneEngineFor(): string | undefined;

/** The phone data file numbers in `country` need (`"ID"` → `"phone-62.<hash>.bin"`), `undefined` once loaded. */
export function phoneDataFor(country: string): string | undefined;

/** What `formatAsYouType` answers: the text to put in the field. */
export type AsYouType =
  | {
      /** The value grouped as the region writes it, in the digits typed (`"۰۹۱۲ ۳۴۵"`). */
      text: string;
      /** The calling code the number is read with: typed after `+`, else the country's. */
      callingCode?: number;
      /** That code's main region (`"GB"` for +44); absent for non-geographic codes. */
      region?: string;
      pending?: undefined;
    }
  | {
      /** The value unchanged: the data to format it is not loaded yet. */
      text: string;
      pending: true;
      /** The file to load before formatting again (phone data, or the phone engine; see `Pending`). */
      needs: string[];
    };

/**
 * Formats a phone number while it is typed, as libphonenumber's AsYouTypeFormatter does
 * (`formatAsYouType("08123456", "ID").text === "0812-3456"`, `"+4420794"` → `"+44 20 794"`).
 * Separators in the value are read through; a value with letters comes back unchanged.
 */
export function formatAsYouType(value: string, country?: string | null): AsYouType;

/** Every region with phone numbers and its calling code (`[["AD", 376], …]`), by region code. */
export function phoneRegions(): [string, number][];

/**
 * Loads a data file of this build the email rules need (its bytes): the email data file
 * (`email.<hash>.txt`: the root zone, for less common endings) or the Unicode tables
 * (`unicode.<hash>.bin`, for addresses beyond ASCII); other bytes throw.
 */
export function loadEmailData(bytes: Uint8Array): void;

/** The email data file addresses with less common endings need (`"email.<hash>.txt"`), `undefined` once loaded. */
export function emailDataFor(): string | undefined;

/** Loads one message catalogue file (its bytes) of this build and answers its locale; other bytes throw. */
export function loadMessages(bytes: Uint8Array): string;

/**
 * The next catalogue file messages in `locale` need: `"fa-IR"` → `"messages-fa.<hash>.txt"` (what
 * field checks need), then `"messages-fa.form.<hash>.txt"` (what `validate` needs too: custom
 * fields, consent, the submission); `undefined` for English or once both are loaded.
 */
export function messagesFor(locale: string): string | undefined;

/** The consent purposes to render for a locale, each with its exact text and hash. */
export function consentPurposes(policy: Policy | string, locale?: string | null): ShownPurpose[];

/** The consent receipt for the purposes granted, with the hash of every text shown in `locale`. */
export function consentReceipt(policy: Policy | string, granted: string[], locale?: string | null): ConsentClaim;

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string;

/** The data compiled into the module (`{ phone_metadata: { version: "9.0.43", date: "2026-11-06" }, … }`). */
export function dataVersions(): DataVersions;

/** Touches every code path once so the first real keystroke is fast. */
export function warmUp(): void;

/** Whether a locale is written right to left (`ar`, `fa`). */
export function isRtl(locale: string): boolean;

/** The shipped locale for a BCP 47 tag (`"fa-IR"` → `"fa"`), English otherwise. */
export function negotiateLocale(tag: string): string;

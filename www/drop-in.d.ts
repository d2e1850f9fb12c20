// Types of the drop-in script (`import { ready } from "signup-guard/drop-in"`). Importing it has
// the side effect of attaching to every `form[data-signup-guard]`, now and later. Configured by
// attributes: `data-endpoint` (the verifier's origin; on the script or a form), `data-policy`,
// `data-locale`, and for the phone `data-default-country` (input or form: the country picker's
// first choice), `data-sg-country-picker="off"` and `data-sg-format="off"`; it adds `sg_t` (from
// ENDPOINT/v1/form-token), `sg_hp` and `sg_return` to forms that lack them, and shows
// `?sg_status=retry` coming back from the verifier.
import type * as SignupGuard from "./signup-guard.js";
import type { Submission, Verdict } from "./signup-guard.js";

/**
 * Resolves to the JS API of the drop-in's own build of the core once it is loaded and warmed
 * up: every function but `validate`, `consentReceipt`, `dataVersions` and `warmUp` (whole
 * submissions are checked by the verifier's `POST /v1/validate`, and the drop-in writes the
 * receipt from the boxes it shows; import the npm package's module for those).
 */
export declare const ready: Promise<Omit<typeof SignupGuard, "validate" | "consentReceipt" | "dataVersions" | "warmUp">>;

/** `detail` of the `signup-guard:valid` and `signup-guard:invalid` events on the form. */
export interface SignupGuardEventDetail {
  verdict: Verdict;
  /** The submission in the JSON API's shape, with the consent receipt. */
  submission: Submission;
}

declare global {
  interface HTMLElementEventMap {
    "signup-guard:ready": CustomEvent<undefined>;
    /** Cancelable: cancel it to send `detail.submission` yourself. */
    "signup-guard:valid": CustomEvent<SignupGuardEventDetail>;
    "signup-guard:invalid": CustomEvent<SignupGuardEventDetail>;
  }
}

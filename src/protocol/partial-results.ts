// The wire names of the partial-results extension (following the SEP-2998 draft), shared by the
// server that sends pieces, the client and bridge that read them. Leaf module: imports nothing.

/** The notification each piece of a tool's result travels in. */
export const PARTIAL_RESULT_METHOD = 'notifications/tools/partial_result';

/** The client capability that opts a 2026-07-28 call in (2025 revisions: the token alone). */
export const PARTIAL_RESULTS_CAPABILITY = 'partialResults';

// Filled in by the slack fake; see the issue for what it covers.
export {};

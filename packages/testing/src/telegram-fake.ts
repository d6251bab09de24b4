// Filled in by the telegram fake; see the issue for what it covers.
export {};

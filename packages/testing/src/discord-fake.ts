// Filled in by the discord fake; see the issue for what it covers.
export {};

// Filled in by the signal fake.
export {};

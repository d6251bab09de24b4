// Filled in by the imessage fake.
export {};

export async function seedCommand(): Promise<void> {}

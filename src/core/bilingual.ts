/** A text in the two languages the console and the portal speak: 简体中文 first, English one click away. */
export interface Bilingual {
  zh: string;
  en: string;
}

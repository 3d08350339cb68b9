// Inline checks as the server makes them (src/core/validation.cc), with the server's own
// words, so a site sees the same message before and after saving. The server stays the
// judge: POST /records/{kind}/validation is asked too, and its answer replaces these.
import type { FieldSpec, FieldValue } from "./model";

export interface Parsed {
  value: FieldValue;
  error: string | null;
}

const quote = (s: string) => `'${s}'`;

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(v);
}

function isGeneSymbol(s: string): boolean {
  if (!s || s.length > 32) return false;
  if (!/^[A-Z0-9]/.test(s)) return false;
  return /^([A-Z0-9-]|orf)+$/.test(s);
}

const formatChecks: Record<string, (s: string) => boolean> = {
  gene_symbol: isGeneSymbol,
  fusion: (s) => {
    const i = s.indexOf("::");
    return i >= 0 && isGeneSymbol(s.slice(0, i)) && isGeneSymbol(s.slice(i + 2));
  },
  hgvs: (s) => s.length > 2 && s[1] === "." && "cpgrmn".includes(s[0]),
  iscn: (s) => /^[0-9]/.test(s) && s.includes(","),
  meddra_code: (s) => /^[0-9]{8}$/.test(s),
  item_answers: (s) => {
    if (!/^[0-9]+=[0-9]+(;[0-9]+=[0-9]+)*$/.test(s)) return false;
    const items = s.split(";").map((pair) => Number(pair.split("=")[0]));
    return items.every((n) => n >= 1) && new Set(items).size === items.length;
  },
  country_code: (s) => /^[A-Z]{2}$/.test(s),
};

// Parses what the user typed into the value the API takes, or the error the server gives.
export function parseField(field: FieldSpec, raw: string | string[]): Parsed {
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { value: null, error: field.required ? "is required" : null };
    return { value: raw, error: null };
  }
  const text = raw.trim();
  if (!text) return { value: null, error: field.required ? "is required" : null };
  switch (field.type) {
    case "integer": {
      if (!/^[+-]?[0-9]+$/.test(text)) return { value: null, error: `expected a whole number, got ${quote(text)}` };
      return rangeChecked(field, Number(text));
    }
    case "number": {
      const n = Number(text);
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text) || !Number.isFinite(n))
        return { value: null, error: `expected a number, got ${quote(text)}` };
      return rangeChecked(field, n);
    }
    case "date":
      if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) || Number.isNaN(Date.parse(text)))
        return { value: null, error: `expected a date YYYY-MM-DD, got ${quote(text)}` };
      return { value: text, error: null };
    case "boolean":
      if (["true", "yes", "1"].includes(text)) return { value: true, error: null };
      if (["false", "no", "0"].includes(text)) return { value: false, error: null };
      return { value: null, error: `expected true or false, got ${quote(text)}` };
    case "code":
      if (field.codes?.length && !field.codes.includes(text))
        return { value: text, error: `unknown code ${quote(text)}; expected one of ${field.codes.join(", ")}` };
      return { value: text, error: null };
    case "codes": {
      const codes = text.split(";").map((c) => c.trim()).filter(Boolean);
      for (const c of codes) {
        if (field.codes?.length && !field.codes.includes(c))
          return { value: codes, error: `unknown code ${quote(c)}; expected some of ${field.codes.join(", ")}` };
      }
      return { value: codes, error: null };
    }
    case "text": {
      const check = field.format ? formatChecks[field.format] : undefined;
      if (check && !check(text))
        return { value: text, error: `${quote(text)} is not ${field.format_description ?? field.format}` };
      if (text.length > 4000) return { value: text, error: "text longer than 4000 characters" };
      return { value: text, error: null };
    }
  }
}

function rangeChecked(field: FieldSpec, v: number): Parsed {
  if ((field.min !== undefined && v < field.min) || (field.max !== undefined && v > field.max)) {
    const unit = field.unit ? ` ${field.unit}` : "";
    return {
      value: v,
      error: `${formatNumber(v)} is out of range [${formatNumber(field.min ?? -Infinity)}, ${formatNumber(field.max ?? Infinity)}]${unit}`,
    };
  }
  return { value: v, error: null };
}

// A stored value as the text an input shows.
export function inputText(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(";");
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

// Rewrites, in tsc's declarations, every type alias spelled with zod
// (`type ExecutorConfig = z.infer<typeof executorConfigSchema>`) as the plain
// type it stands for, so the bundled types name no zod: a client installs
// @trpc/* and nothing else. The schemas' own declarations are then unused
// and the bundler drops them.
import { readFileSync, writeFileSync } from "node:fs";
import ts from "typescript";

const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseFullyQualifiedType;

/** Rewrites `files` in place; returns the names of the aliases rewritten. */
export function inlineZodAliases(files) {
  const program = ts.createProgram(files, {
    noEmit: true, skipLibCheck: true, strict: true, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const namesZod = (text) => /\bz\.|\bimport\("zod/.test(text);
  /** The type spelled without zod's aliases: unions and objects are taken apart until no part names zod. */
  const print = (type, at) => {
    const text = checker.typeToString(type, at, FLAGS);
    if (!namesZod(text)) return text;
    if (type.isUnion()) return type.types.map((t) => print(t, at)).join(" | ");
    if (type.isIntersection()) return type.types.map((t) => `(${print(t, at)})`).join(" & ");
    if (checker.isArrayType(type)) return `Array<${print(checker.getTypeArguments(type)[0], at)}>`;
    const props = checker.getPropertiesOfType(type).map((p) => {
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
      return `${JSON.stringify(p.name)}${optional ? "?" : ""}: ${print(checker.getTypeOfSymbolAtLocation(p, at), at)};`;
    });
    const index = checker.getIndexInfosOfType(type)
      .map((i) => `[key: ${checker.typeToString(i.keyType)}]: ${print(i.type, at)};`);
    return `{ ${[...props, ...index].join(" ")} }`;
  };
  const rewritten = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const edits = [];
    const visit = (node) => {
      if (ts.isTypeAliasDeclaration(node) && /\bz\.(infer|input|output)\s*</.test(node.type.getText(source))) {
        const printed = print(checker.getTypeAtLocation(node.name), node);
        if (namesZod(printed)) throw new Error(`${node.name.text} still names zod: ${printed.slice(0, 200)}`);
        edits.push({ start: node.type.getStart(source), end: node.type.getEnd(), text: printed });
        rewritten.push(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (edits.length === 0) continue;
    let text = readFileSync(file, "utf8");
    for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    writeFileSync(file, text);
  }
  return rewritten;
}

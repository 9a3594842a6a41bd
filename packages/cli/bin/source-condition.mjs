// Module resolve hook: prefer workspace package sources (`parapet-source` export condition).
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('parapet-source') ? context.conditions : [...context.conditions, 'parapet-source'];
  return nextResolve(specifier, { ...context, conditions });
}

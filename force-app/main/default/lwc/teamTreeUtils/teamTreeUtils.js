/**
 * Helpers over the service's team tree (`GET /teams`: { top, unassigned }): a flat list with paths for
 * comboboxes, and lightning-tree items.
 */
export function flattenTeams(tree) {
    if (!tree || !tree.top) return [];
    const teams = [];
    const visit = (team, parentPath, depth) => {
        const path = parentPath ? `${parentPath} › ${team.name}` : team.name;
        teams.push({ ...team, children: undefined, path, depth });
        (team.children || []).forEach((child) => visit(child, path, depth + 1));
    };
    visit(tree.top, '', 0);
    if (tree.unassigned) teams.push({ ...tree.unassigned, path: tree.unassigned.name, depth: 0 });
    return teams;
}

/** lightning-tree items: label, name (the team id), expanded, and nested items. */
export function toTreeItems(tree, describe = (team) => team.name) {
    if (!tree || !tree.top) return [];
    const item = (team) => ({
        label: describe(team),
        name: team.id,
        expanded: true,
        items: (team.children || []).map(item)
    });
    const items = [item(tree.top)];
    if (tree.unassigned)
        items.push({ label: describe(tree.unassigned), name: tree.unassigned.id, items: [] });
    return items;
}

/** The ids of a team and every team beneath it (a team cannot move under itself). */
export function subtreeIds(tree, teamId) {
    const found = flattenTeams(tree).find((t) => t.id === teamId);
    if (!found) return new Set();
    const ids = new Set([teamId]);
    let grew = true;
    const all = flattenTeams(tree);
    while (grew) {
        grew = false;
        for (const t of all) {
            if (t.parentId && ids.has(t.parentId) && !ids.has(t.id)) {
                ids.add(t.id);
                grew = true;
            }
        }
    }
    return ids;
}

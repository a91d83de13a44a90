import { OBJECT_TYPES } from 'c/rosterVocabulary';
import { conditionText } from 'c/profileFields';

/** How the Matching tab shows a profile's groups: pure, from the profile, the org's fields and the refusals. */
export const groupTitle = (g) => g.name || 'Unnamed group';

const STATES = {
    all: () => 'All records eligible (no groups defined)',
    filtered: (n) => `Filtered: a record must match one of ${n} ${n === 1 ? 'group' : 'groups'}`,
    none: () => 'No records eligible (its last group was removed)'
};

/** A saved group's conditions as the admin reads them, each with the refusal that names it (if any). */
function conditionRows(group, fields, errors) {
    const mine = errors[group.id] || [];
    return group.conditions.map((c, i) => {
        const error = mine.find((e) => e.index === i);
        return {
            key: `${group.id}-${i}`,
            text: conditionText(c, fields),
            error: error && error.message,
            dataId: `condition-${group.id}-${i}`,
            errorId: `condition-error-${group.id}-${i}`
        };
    });
}

/** Each object type's eligibility state and groups. */
export function eligibilityView(profile, { fieldsFor, errors }) {
    return OBJECT_TYPES.map((type) => {
        const { state, groups } = profile.eligibility[type];
        const fields = fieldsFor(type);
        return {
            type,
            stateText: STATES[state](groups.length),
            canReset: state !== 'all' && !profile.isBuiltin,
            resetLabel: `Make every ${type} eligible again`,
            dataId: `eligibility-${type}`,
            resetId: `reset-${type}`,
            groups: groups.map((g) => ({
                ...g,
                title: groupTitle(g),
                conditionRows: conditionRows(g, fields, errors),
                editLabel: `Edit ${groupTitle(g)}`,
                deleteLabel: `Remove ${groupTitle(g)}`,
                dataId: `group-${g.id}`
            }))
        };
    });
}

const byPosition = (groups) => [...groups].sort((a, b) => a.position - b.position);

/** The ranking groups in priority order. */
export function rankingView(profile, { fieldsFor, errors }) {
    const groups = byPosition(profile.rankingGroups);
    return groups.map((g, i) => ({
        ...g,
        title: `${i + 1}. ${groupTitle(g)} (${g.target}, ${g.kind}-based)`,
        conditionRows: conditionRows(g, fieldsFor(g.target), errors),
        upLabel: `Move ${groupTitle(g)} up`,
        downLabel: `Move ${groupTitle(g)} down`,
        editLabel: `Edit ${groupTitle(g)}`,
        deleteLabel: `Remove ${groupTitle(g)}`,
        upDisabled: i === 0 || profile.isBuiltin,
        downDisabled: i === groups.length - 1 || profile.isBuiltin,
        dataId: `ranking-${i + 1}`
    }));
}

/** The refusals a preview named (namedConditions), by the id of the group each belongs to. */
export function conditionMarks(profile, named) {
    const marks = {};
    const add = (group, index, message) => {
        if (!group || index < 0) return;
        marks[group.id] = [...(marks[group.id] || []), { index, message }];
    };
    for (const n of named) {
        if (n.rankingPosition) {
            add(byPosition(profile.rankingGroups)[n.rankingPosition - 1], n.index, n.message);
        } else if (n.objectType) {
            const groups = profile.eligibility[n.objectType].groups;
            if (n.field)
                groups.forEach((g) =>
                    add(
                        g,
                        g.conditions.findIndex((c) => c.field === n.field),
                        n.message
                    )
                );
            else
                add(
                    groups.find((g) => groupTitle(g) === n.groupName),
                    n.index,
                    n.message
                );
        }
    }
    return marks;
}

/**
 * What both group editors (eligibility and ranking) hold: the group's id and title, its name, its conditions as
 * opened and as edited, the refusals on them, plus the editor's own `fields` (object type, or target and kind).
 */
export function editorFor(group, conditionErrors, fields) {
    return {
        groupId: group ? group.id : null,
        title: group ? groupTitle(group) : '',
        name: group ? group.name : '',
        initial: group ? group.conditions : [],
        conditions: group ? group.conditions : [],
        complete: !!group,
        errors: group ? conditionErrors[group.id] || [] : [],
        error: undefined,
        ...fields
    };
}

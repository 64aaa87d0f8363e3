"""Note types, called models on the wire (protocol: actions/models.md).

Every edit works on a private copy of the note type and is saved through
`col.models.update_dict`, the call Anki's own field and card editors end in, so
the backend updates notes and cards to match: a renamed field is renamed in the
templates, a removed template takes its cards with it, a new template gets
cards. Everything is checked before the copy is saved; a failed check, or a
change Anki itself refuses, leaves the note type as it was.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import TYPE_CHECKING, Any

from ..database import is_id
from ..errors import ActionError, missing_key
from ..registry import ActionEntry, action
from . import notetype_rules as rules
from .base import ActionsBase

if TYPE_CHECKING:
    from anki.collection import OpChanges
    from anki.models import FieldDict, NotetypeDict, TemplateDict

# findAndReplaceInModels: the parameters as the original takes them, used to
# check the same parameters when a client sends them nested in `model`.
_FIND_AND_REPLACE_PARAMETERS = ActionEntry(
    name="findAndReplaceInModels",
    function=lambda **params: None,  # only its parameter check is used
    aliases=(),
    parameters=frozenset(("modelName", "findText", "replaceText", "front", "back", "css")),
    required=("modelName", "findText", "replaceText"),
)


class _Unset:
    def __repr__(self) -> str:
        return "unset"


_UNSET: Any = _Unset()


class ModelActions(ActionsBase):
    # -- listing and lookup ---------------------------------------------------------------

    @action()
    def modelNames(self) -> list[str]:
        return [entry.name for entry in self.col.models.all_names_and_ids()]

    @action()
    def modelNamesAndIds(self) -> dict[str, int]:
        return {entry.name: entry.id for entry in self.col.models.all_names_and_ids()}

    @action()
    def modelNameFromId(self, modelId: Any) -> str:
        if is_id(modelId):
            for entry in self.col.models.all_names_and_ids():
                if entry.id == modelId:
                    return entry.name
        raise ActionError(f"model was not found: {modelId}")

    @action()
    def findModelsById(self, modelIds: Any) -> list[NotetypeDict]:
        wanted = rules.array(modelIds, "modelIds")
        known = {entry.id for entry in self.col.models.all_names_and_ids()}
        for model_id in wanted:
            if not is_id(model_id) or model_id not in known:
                raise ActionError(f"model was not found: {model_id}")
        return [self._stored_model(model_id) for model_id in wanted]

    @action()
    def findModelsByName(self, modelNames: Any) -> list[NotetypeDict]:
        wanted = rules.array(modelNames, "modelNames")
        ids = self._ids_by_name()
        found = []
        for name in wanted:
            model_id = ids.get(name.casefold()) if isinstance(name, str) else None
            if model_id is None:
                raise ActionError(f"model was not found: {name}")
            found.append(model_id)
        return [self._stored_model(model_id) for model_id in found]

    # -- reading fields, templates and styling ----------------------------------------------

    @action()
    def modelFieldNames(self, modelName: Any) -> list[str]:
        return [field["name"] for field in self.get_model(modelName)["flds"]]

    @action()
    def modelFieldDescriptions(self, modelName: Any) -> list[str]:
        return [field.get("description", "") for field in self.get_model(modelName)["flds"]]

    @action()
    def modelFieldFonts(self, modelName: Any) -> dict[str, dict[str, Any]]:
        fields = self.get_model(modelName)["flds"]
        return {field["name"]: {"font": field["font"], "size": field["size"]} for field in fields}

    @action()
    def modelFieldsOnTemplates(self, modelName: Any) -> dict[str, list[list[str]]]:
        templates = self.get_model(modelName)["tmpls"]
        return {t["name"]: rules.fields_on_template(t["qfmt"], t["afmt"]) for t in templates}

    @action()
    def modelTemplates(self, modelName: Any) -> dict[str, dict[str, str]]:
        templates = self.get_model(modelName)["tmpls"]
        return {template["name"]: {"Front": template["qfmt"], "Back": template["afmt"]} for template in templates}

    @action()
    def modelStyling(self, modelName: Any) -> dict[str, str]:
        return {"css": self.get_model(modelName)["css"]}

    # -- fields ---------------------------------------------------------------------------

    @action()
    def modelFieldAdd(self, modelName: Any, fieldName: Any, index: Any = None) -> None:
        original, model = self._edit(modelName)
        fields, models = model["flds"], self.col.models
        field = _named(fields, fieldName)
        if field is None:
            name = rules.new_field_name(fieldName)
            self._refuse_taken_name(fields, name, "field", modelName)
            field = models.new_field(name)
            position = None if index is None else rules.position(index, len(fields) + 1)
            models.add_field(model, field)
        else:
            # an existing field is only moved, and only when an index is given
            position = None if index is None else rules.position(index, len(fields))
        if position is not None:
            models.reposition_field(model, field, position)
        self._save(model, original)

    @action()
    def modelFieldRemove(self, modelName: Any, fieldName: Any) -> None:
        original, model = self._edit(modelName)
        field = self._field(model, modelName, fieldName)
        if field.get("preventDeletion"):
            raise ActionError(f"field is required by {modelName} and cannot be removed: {fieldName}")
        self.col.models.remove_field(model, field)
        self._save(model, original)

    @action()
    def modelFieldRename(self, modelName: Any, oldFieldName: Any, newFieldName: Any) -> None:
        original, model = self._edit(modelName)
        field = self._field(model, modelName, oldFieldName)
        name = rules.new_field_name(newFieldName)
        self._refuse_taken_name(model["flds"], name, "field", modelName, field)
        self.col.models.rename_field(model, field, name)
        self._save(model, original)

    @action()
    def modelFieldReposition(self, modelName: Any, fieldName: Any, index: Any) -> None:
        original, model = self._edit(modelName)
        field = self._field(model, modelName, fieldName)
        self.col.models.reposition_field(model, field, rules.position(index, len(model["flds"])))
        self._save(model, original)

    @action()
    def modelFieldSetFont(self, modelName: Any, fieldName: Any, font: Any) -> None:
        original, model = self._edit(modelName)
        field = self._field(model, modelName, fieldName)
        field["font"] = rules.string(font, "font")
        self._save(model, original)

    @action()
    def modelFieldSetFontSize(self, modelName: Any, fieldName: Any, fontSize: Any) -> None:
        original, model = self._edit(modelName)
        field = self._field(model, modelName, fieldName)
        if not is_id(fontSize):
            raise ActionError(f"fontSize should be an integer: {fontSize}")
        if fontSize < 1:
            raise ActionError(f"fontSize should be a positive integer: {fontSize}")
        field["size"] = fontSize
        self._save(model, original)

    @action()
    def modelFieldSetDescription(self, modelName: Any, fieldName: Any, description: Any) -> bool:
        # Every Anki this add-on runs on (23.10+) has field descriptions, so the
        # original's `false` for older versions never happens.
        original, model = self._edit(modelName)
        field = self._field(model, modelName, fieldName)
        field["description"] = rules.string(description, "description")
        self._save(model, original)
        return True

    # -- templates ------------------------------------------------------------------------

    @action()
    def modelTemplateAdd(self, modelName: Any, template: Any) -> None:
        original, model = self._edit(modelName)
        given = rules.obj(template, "template")
        name, front, back = (_required(given, key) for key in ("Name", "Front", "Back"))
        name = rules.new_template_name(name)
        front, back = rules.string(front, "Front"), rules.string(back, "Back")
        templates = model["tmpls"]
        existing = _named(templates, name)
        if existing is None:
            self._refuse_taken_name(templates, name, "template", modelName)
            if _is_cloze(model):
                raise ActionError(f"a cloze note type has only one card template: {modelName}")
            existing = self.col.models.new_template(name)
            self.col.models.add_template(model, existing)
        # A template of that name is updated: what the original meant to do (its
        # version edited Anki's cached copy and never saved it).
        existing["qfmt"], existing["afmt"] = front, back
        self._save(model, original)

    @action()
    def modelTemplateRemove(self, modelName: Any, templateName: Any) -> None:
        original, model = self._edit(modelName)
        template = self._template(model, modelName, templateName)
        self.col.models.remove_template(model, template)  # refuses to remove the last one
        self._save(model, original)

    @action()
    def modelTemplateRename(self, modelName: Any, oldTemplateName: Any, newTemplateName: Any) -> None:
        original, model = self._edit(modelName)
        template = self._template(model, modelName, oldTemplateName)
        name = rules.new_template_name(newTemplateName)
        self._refuse_taken_name(model["tmpls"], name, "template", modelName, template)
        template["name"] = name
        self._save(model, original)

    @action()
    def modelTemplateReposition(self, modelName: Any, templateName: Any, index: Any) -> None:
        original, model = self._edit(modelName)
        template = self._template(model, modelName, templateName)
        self.col.models.reposition_template(model, template, rules.position(index, len(model["tmpls"])))
        self._save(model, original)

    @action()
    def updateModelTemplates(self, model: Any) -> None:
        given = rules.obj(model, "model")
        original, edited = self._edit(_required(given, "name"))
        changes = rules.obj(_required(given, "templates"), "templates")
        for template in edited["tmpls"]:
            sides = changes.get(template["name"])
            if sides is None:
                continue
            sides = rules.obj(sides, f"template {template['name']}")
            for side, key in (("Front", "qfmt"), ("Back", "afmt")):
                text = sides.get(side)
                if text is not None and rules.string(text, side):  # an empty side is left as it is
                    template[key] = text
        self._save(edited, original)

    # -- styling --------------------------------------------------------------------------

    @action()
    def updateModelStyling(self, model: Any) -> None:
        given = rules.obj(model, "model")
        original, edited = self._edit(_required(given, "name"))
        edited["css"] = rules.string(_required(given, "css"), "css")
        self._save(edited, original)

    @action()
    def findAndReplaceInModels(
        self,
        modelName: Any = _UNSET,
        findText: Any = _UNSET,
        replaceText: Any = _UNSET,
        front: Any = _UNSET,
        back: Any = _UNSET,
        css: Any = _UNSET,
        model: Any = _UNSET,
    ) -> int:
        flat = {"modelName": modelName, "findText": findText, "replaceText": replaceText}
        flat.update(front=front, back=back, css=css)
        given = {name: value for name, value in flat.items() if value is not _UNSET}
        if model is not _UNSET:
            # typed clients (yanki-connect) send everything inside `model`
            if given:
                raise ActionError("give the parameters either at the top level or inside model, not both")
            given = model
        params = _FIND_AND_REPLACE_PARAMETERS.bind(given)
        find = rules.string(params["findText"], "findText")
        if not find:
            raise ActionError("findText should not be empty")
        replace = rules.string(params["replaceText"], "replaceText")
        parts = {part: rules.boolean(params.get(part, True), part) for part in ("front", "back", "css")}

        name = params["modelName"]
        if name is None or name == "":
            originals = self.col.models.all()
        else:
            originals = [self.get_model(name)]
        changed = []
        for original in originals:
            edited = copy.deepcopy(original)
            for template in edited["tmpls"]:
                if parts["front"]:
                    template["qfmt"] = template["qfmt"].replace(find, replace)
                if parts["back"]:
                    template["afmt"] = template["afmt"].replace(find, replace)
            if parts["css"]:
                edited["css"] = edited["css"].replace(find, replace)
            if edited != original:
                changed.append((original, edited))
        self._save_all(changed)
        return len(changed)

    # -- creating -------------------------------------------------------------------------

    @action()
    def createModel(
        self,
        modelName: Any,
        inOrderFields: Any,
        cardTemplates: Any,
        css: Any = None,
        isCloze: Any = False,
    ) -> NotetypeDict:
        field_names = rules.array(inOrderFields, "inOrderFields")
        if not field_names:
            raise ActionError("Must provide at least one field for inOrderFields")
        templates = rules.array(cardTemplates, "cardTemplates")
        if not templates:
            raise ActionError("Must provide at least one card for cardTemplates")
        if not isinstance(modelName, str) or not modelName.strip():
            raise ActionError(f"modelName should be a non-empty string: {modelName}")
        models = self.col.models
        # Anki's names ignore case; it would store "vocab" beside "Vocab" as "vocab-1a2b3".
        if models.id_for_name(modelName) is not None:
            raise ActionError("Model name already exists")

        model = models.new(modelName)
        for field_name in field_names:
            name = rules.new_field_name(field_name)
            self._refuse_taken_name(model["flds"], name, "field", modelName)
            models.add_field(model, models.new_field(name))
        for number, given in enumerate(templates, start=1):
            given = rules.obj(given, "card template")
            front, back = _required(given, "Front"), _required(given, "Back")
            name = rules.new_template_name(given.get("Name", f"Card {number}"))
            self._refuse_taken_name(model["tmpls"], name, "template", modelName)
            template = models.new_template(name)
            template["qfmt"], template["afmt"] = rules.string(front, "Front"), rules.string(back, "Back")
            models.add_template(model, template)
        if css is not None:
            model["css"] = rules.string(css, "css")
        if rules.boolean(isCloze, "isCloze"):
            if len(templates) > 1:
                raise ActionError(f"a cloze note type has only one card template: {modelName}")
            _make_cloze(model)

        from anki.errors import BackendError

        try:
            added = models.add_dict(model)
        except BackendError as error:
            raise ActionError(rules.anki_message(str(error))) from None
        self.host.collection_changed(added.changes)
        return self._stored_model(added.id)

    # -- helpers --------------------------------------------------------------------------

    def _stored_model(self, model_id: int) -> NotetypeDict:
        from anki.models import NotetypeId

        model = self.col.models.get(NotetypeId(model_id))
        if model is None:
            raise ActionError(f"model was not found: {model_id}")
        return model

    def _ids_by_name(self) -> dict[str, int]:
        """Note type ids by case-folded name, as Anki matches names."""
        return {entry.name.casefold(): entry.id for entry in self.col.models.all_names_and_ids()}

    def _edit(self, name: Any) -> tuple[NotetypeDict, NotetypeDict]:
        """The stored note type and a private copy to change.

        `col.models` hands out its cached dict; changing that directly would show
        unsaved (or refused) edits to every later reader.
        """
        original = self.get_model(name)
        return original, copy.deepcopy(original)

    def _save(self, model: NotetypeDict, original: NotetypeDict) -> None:
        """Save `model` unless it is unchanged (saving alone bumps its modification time)."""
        if model == original:
            return
        self.host.collection_changed(self._update(model))

    def _save_all(self, changed: list[tuple[NotetypeDict, NotetypeDict]]) -> None:
        """Save several note types; if Anki refuses one, the ones saved before it are undone."""
        self.all_or_nothing(partial(self._update, edited) for _original, edited in changed)

    def _update(self, model: NotetypeDict) -> OpChanges:
        from anki.errors import BackendError

        try:
            return self.col.models.update_dict(model)
        except BackendError as error:  # Anki's own checks, e.g. a template without fields
            raise ActionError(rules.anki_message(str(error))) from None

    @staticmethod
    def _field(model: NotetypeDict, model_name: Any, field_name: Any) -> FieldDict:
        field = _named(model["flds"], field_name)
        if field is None:
            raise ActionError(f"field was not found in {model_name}: {field_name}")
        return field

    @staticmethod
    def _template(model: NotetypeDict, model_name: Any, template_name: Any) -> TemplateDict:
        template = _named(model["tmpls"], template_name)
        if template is None:
            raise ActionError(f"template was not found in {model_name}: {template_name}")
        return template

    @staticmethod
    def _refuse_taken_name(
        items: list[Any], name: str, kind: str, model_name: Any, renamed: dict[str, Any] | None = None
    ) -> None:
        """Anki would store a second `Word` (or `word`) as `Word+`; refuse instead."""
        for item in items:
            if item is not renamed and rules.same_name(item["name"], name):
                raise ActionError(f"{kind} already exists in {model_name}: {item['name']}")


def _named(items: list[Any], name: Any) -> Any:
    """The field or template called exactly `name`, or None."""
    return next((item for item in items if item["name"] == name), None)


def _required(given: dict[str, Any], key: str) -> Any:
    if key not in given:
        raise missing_key(key)
    return given[key]


def _is_cloze(model: NotetypeDict) -> bool:
    from anki.consts import MODEL_CLOZE

    return model["type"] == MODEL_CLOZE


def _make_cloze(model: NotetypeDict) -> None:
    from anki.consts import MODEL_CLOZE

    model["type"] = MODEL_CLOZE
    if "originalStockKind" in model:
        # so that Anki's "restore to default" does not turn it into a Basic note type
        from anki.models import StockNotetype

        model["originalStockKind"] = StockNotetype.ORIGINAL_STOCK_KIND_CLOZE

"""Entities: the person (个人) and the household (户), a group entity of persons."""

from openfisca_core.entities import build_entity

Household = build_entity(
    key="household",
    plural="households",
    label="户 / household",
    doc="A household of the registry (households.csv); its members are the persons whose "
    "household_id is its id and who count in the month (alive, clarification 9).",
    roles=[
        {"key": "head", "label": "户主 / head", "max": 1},
        {"key": "other", "plural": "others", "label": "其他成员 / other member"},
    ],
)

Person = build_entity(
    key="person",
    plural="persons",
    label="个人 / person",
    doc="A person of the registry (persons.csv).",
    is_person=True,
)

entities = [Household, Person]

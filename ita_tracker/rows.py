"""Model instances from the rows of a plain statement.

For the few reads every request makes (the signed-in user, the page's plan or assessment),
building and compiling an ORM query costs several times running it. These helpers name a
model's columns for a hand-written SELECT and turn the values back into an instance as the
ORM would: the database backend's converters applied (SQLite's booleans, aware datetimes,
decimals), the instance marked as loaded from the database."""

from django.db import connections
from django.db.models import Model

_columns: dict[tuple, str] = {}


def columns(model: type[Model], alias: str, quote) -> str:
    """``alias.col, …`` for every concrete field of ``model``, in the model's order (built
    once per model, alias and database: every request's page statement names them)."""
    key = (model, alias, quote)
    found = _columns.get(key)
    if found is None:
        found = _columns[key] = ", ".join(
            f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields
        )
    return found


def width(model: type[Model]) -> int:
    """How many values ``columns`` selects."""
    return len(model._meta.concrete_fields)


_converters: dict[tuple[str, type[Model]], list] = {}


def _converters_of(model: type[Model], connection) -> list:
    key = (connection.alias, model)
    found = _converters.get(key)
    if found is None:
        found = []
        for field in model._meta.concrete_fields:
            col = field.get_col(model._meta.db_table)
            found.append(
                (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            )
        _converters[key] = found
    return found


_loaders: dict[tuple[str, type[Model]], tuple] = {}


def instance(model: type[Model], values, connection) -> Model:
    """The ``model`` instance of ``values`` (as many as ``columns`` selected)."""
    connection = connections[connection.alias]  # the connection itself, not django.db's proxy
    key = (connection.alias, model)
    loader = _loaders.get(key)
    if loader is None:
        converting = [
            (index, col, converters)
            for index, (col, converters) in enumerate(_converters_of(model, connection))
            if converters
        ]
        names = [field.attname for field in model._meta.concrete_fields]
        loader = _loaders[key] = (names, converting)
    names, converting = loader
    if converting:
        values = list(values)
        for index, col, converters in converting:
            for convert in converters:
                values[index] = convert(values[index], col, connection)
    return model.from_db(connection.alias, names, values)


_field_converters: dict[tuple[str, type[Model], str], object] = {}


def converter(model: type[Model], name: str, connection):
    """The function giving a raw value of ``model``'s field ``name`` as the ORM reads it
    (SQLite's dates and datetimes come back as text)."""
    connection = connections[connection.alias]  # the connection itself, not django.db's proxy
    key = (connection.alias, model, name)
    found = _field_converters.get(key)
    if found is None:
        names = [field.name for field in model._meta.concrete_fields]
        col, converters = _converters_of(model, connection)[names.index(name)]

        def found(value):
            for convert in converters:
                value = convert(value, col, connection)
            return value

        _field_converters[key] = found if converters else _as_read
    return _field_converters[key]


def _as_read(value):
    """A field this database gives as the ORM reads it (no converter)."""
    return value


def select(model: type[Model], names, alias: str, quote) -> str:
    """``alias.col, …`` of ``model``'s fields ``names`` (their attribute names: ``x_id`` for
    a foreign key)."""
    return ", ".join(f"{alias}.{quote(_field(model, name).column)}" for name in names)


def reader(model: type[Model], names, connection):
    """The function giving the values ``select`` read as the ORM reads them (a tuple); only
    the fields this database gives otherwise are converted (few on PostgreSQL)."""
    converting = [
        (index, convert)
        for index, name in enumerate(names)
        if (convert := converter(model, _field(model, name).name, connection)) is not _as_read
    ]
    if not converting:
        return tuple

    def read(values) -> tuple:
        values = list(values)
        for index, convert in converting:
            values[index] = convert(values[index])
        return tuple(values)

    return read


def _field(model: type[Model], name: str):
    # By attribute name first (``lead_division_id``), else by field name.
    for field in model._meta.concrete_fields:
        if field.attname == name:
            return field
    return model._meta.get_field(name)

using System.Data;
using System.Data.Common;
using System.Text.Json;

namespace BmesCds.Ledger.Storage;

/// <summary>Small ADO.NET helpers shared by the store, the migrations and the report. Instants are stored as Unix
/// milliseconds (BIGINT) and lists as JSON text, so that one SQL text serves SQLite and PostgreSQL.</summary>
internal static class Sql
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Sets the parameter <paramref name="name"/>, adding it on the command's first use.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var known = command.Parameters.Contains(name);
        var parameter = known ? command.Parameters[name] : command.CreateParameter();
        parameter.ParameterName = name;
        switch (value)
        {
            case null:
                parameter.DbType = DbType.String;
                parameter.Value = DBNull.Value;
                break;
            case string text:
                parameter.DbType = DbType.String;
                parameter.Value = text;
                break;
            case long number:
                parameter.DbType = DbType.Int64;
                parameter.Value = number;
                break;
            case int number:
                parameter.DbType = DbType.Int32;
                parameter.Value = number;
                break;
            case DateTimeOffset instant:
                parameter.DbType = DbType.Int64;
                parameter.Value = Millis(instant);
                break;
            default:
                throw new ArgumentException($"unsupported parameter type {value.GetType().Name}", nameof(value));
        }

        if (!known)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static long Millis(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static DateTimeOffset Instant(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    public static string JsonList(IEnumerable<string> items) => JsonSerializer.Serialize(items);

    public static IReadOnlyList<string> ReadJsonList(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

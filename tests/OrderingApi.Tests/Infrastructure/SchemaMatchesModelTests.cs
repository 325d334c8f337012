using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OrderingApi.Infrastructure;

namespace OrderingApi.Tests.Infrastructure;

/// <summary>
/// The schema is hand-written SQL (no EF Design tools here); this keeps it in step with the EF model: every table,
/// column, constraint and index EF would create is in the identity migrations, and nothing else. (The orders schema,
/// 0002_orders, is read and written with plain Npgsql, not EF: it is not part of the model.)
/// </summary>
public sealed partial class SchemaMatchesModelTests
{
    [Fact]
    public void The_migrations_create_exactly_what_the_EF_model_maps()
    {
        var options = new DbContextOptionsBuilder<IdentityContext>().UseNpgsql("Host=unused").Options;
        using var db = new IdentityContext(options);

        var fromModel = Normalize(db.Database.GenerateCreateScript());
        var fromMigrations = Normalize(string.Join("\n", SqlMigrations.All.Where(m => m.Id.EndsWith("_identity", StringComparison.Ordinal)).Select(m => m.Sql)));

        Assert.Equal(fromModel.Order(), fromMigrations.Order());
    }

    [Fact]
    public void Migrations_are_ordered_by_a_numeric_prefix()
    {
        Assert.NotEmpty(SqlMigrations.All);
        Assert.All(SqlMigrations.All, m => Assert.Matches(@"^\d{4}_[a-z0-9_]+$", m.Id));
        Assert.Equal(SqlMigrations.All.Select(m => m.Id).Order(StringComparer.Ordinal), SqlMigrations.All.Select(m => m.Id));
    }

    /// <summary>
    /// One line per table element ("table: column definition") and per index statement, so the order of columns and
    /// statements, comments and whitespace do not matter.
    /// </summary>
    private static List<string> Normalize(string sql)
    {
        var withoutComments = string.Join("\n", sql.Split('\n').Select(line => line.Split("--")[0]));
        var lines = new List<string>();
        foreach (var statement in withoutComments.Split(';').Select(s => Whitespace().Replace(s, " ").Trim()).Where(s => s.Length > 0))
        {
            if (CreateTable().Match(statement) is { Success: true } table)
            {
                var body = table.Groups["body"].Value;
                lines.AddRange(SplitTopLevel(body).Select(element => $"{table.Groups["name"].Value}: {element.Trim()}"));
            }
            else
            {
                lines.Add(statement);
            }
        }
        return lines;
    }

    /// <summary>Splits on commas that are not inside brackets (constraint column lists).</summary>
    private static IEnumerable<string> SplitTopLevel(string body)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            depth += body[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (body[i] == ',' && depth == 0)
            {
                yield return body[start..i];
                start = i + 1;
            }
        }
        yield return body[start..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^CREATE TABLE (?<name>""[^""]+"") \((?<body>.*)\)$")]
    private static partial Regex CreateTable();
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ECommerce.ServiceDefaults.ErrorHandling;

/// <summary>
/// Text a service can store: no NUL character (PostgreSQL's text cannot hold one) and no half of a UTF-16 surrogate
/// pair (it has no UTF-8 form). Applied to every string of a JSON body (<see cref="StorableTextConverter"/>) and to
/// query and route values (<see cref="BadRequestProblems"/>), so such input answers 400 naming the field.
/// </summary>
public static class StorableText
{
    /// <summary>Why the text cannot be stored, or null when it can.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
        {
            return "contains a NUL character, which cannot be stored";
        }
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
        {
            return null;
        }
        for (var i = surrogate; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "contains half of a UTF-16 surrogate pair, which is not a character";
            }
        }
        return null;
    }
}

/// <summary>
/// Reads JSON strings (values and dictionary keys) as the framework does, and refuses text that cannot be stored
/// (<see cref="StorableText"/>) with a <see cref="JsonException"/>: the request answers 400 naming the field.
/// </summary>
internal sealed class StorableTextConverter : JsonConverter<string>
{
    /// <summary>The start of the message of the exception this converter throws.</summary>
    public const string MessagePrefix = "Text that cannot be stored: ";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(); // as the framework: a number or object where text belongs
        }
        return Check(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Check(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string Check(string value) =>
        StorableText.Problem(value) is { } problem ? throw new JsonException(MessagePrefix + problem) : value;
}

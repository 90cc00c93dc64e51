namespace Grid.Contracts;

/// <summary>How statuses and kinds are spelled to callers and in stored records: lower case, '_' between words (<c>NeedsReview</c> is <c>needs_review</c>).</summary>
public static class StatusNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Snake(value.ToString());

    public static string Snake(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
    }
}

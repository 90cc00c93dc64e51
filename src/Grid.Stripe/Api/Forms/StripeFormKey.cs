using System.Globalization;

namespace Grid.Stripe.Api.Forms;

/// <summary>
/// The name of one form field in Stripe's nested bracket syntax: a root name followed by hash keys and
/// array indices, as in <c>line_items[0][price_data][currency]</c>. Built with indexers:
/// <c>StripeFormKey.Of("line_items")[0]["price_data"]["currency"]</c>.
/// </summary>
/// <remarks>
/// Names may not contain brackets (Stripe does not allow them in metadata keys either), so the path is
/// never ambiguous. <see cref="Path"/> is the unencoded name, as Stripe writes it in an error's <c>param</c>.
/// </remarks>
public readonly record struct StripeFormKey
{
    private readonly string? _path;

    private StripeFormKey(string path) => _path = path;

    /// <summary>The unencoded field name, e.g. <c>metadata[account_id]</c>.</summary>
    public string Path => _path ?? throw new InvalidOperationException("A default StripeFormKey names no field; start from StripeFormKey.Of.");

    /// <summary>A nested hash key: <c>parent[name]</c>.</summary>
    public StripeFormKey this[string name] => new($"{Path}[{CheckName(name)}]");

    /// <summary>An array element: <c>parent[index]</c>. Stripe reads indices as positions, so they start at 0.</summary>
    public StripeFormKey this[int index] =>
        index >= 0
            ? new($"{Path}[{index.ToString(CultureInfo.InvariantCulture)}]")
            : throw new ArgumentOutOfRangeException(nameof(index), index, "An array index is 0 or more.");

    /// <summary>A top-level field.</summary>
    public static StripeFormKey Of(string name) => new(CheckName(name));

    public static implicit operator StripeFormKey(string name) => Of(name);

    public override string ToString() => _path ?? "";

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.AsSpan().IndexOfAny('[', ']') >= 0)
        {
            throw new ArgumentException($"A form field name may not contain square brackets: \"{name}\".", nameof(name));
        }

        return name;
    }
}

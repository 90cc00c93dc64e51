using Grid.Ledger.Errors;

namespace Grid.Ledger.Credits;

/// <summary>Credits are whole <c>long</c>s; every sum is checked, and an overflow is a refusal, never a wrap.</summary>
public static class CreditMath
{
    /// <summary>The largest amount a command may carry: the largest integer a JavaScript client holds exactly.</summary>
    public const long MaxAmount = 9_007_199_254_740_991;

    public static long Add(long a, long b, string field)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw LedgerException.Invalid(field, $"{field} would overflow the account's balance.");
        }
    }

    public static long Subtract(long a, long b, string field)
    {
        try
        {
            return checked(a - b);
        }
        catch (OverflowException)
        {
            throw LedgerException.Invalid(field, $"{field} would overflow the account's balance.");
        }
    }

    public static void RequirePositive(long amount, string field)
    {
        if (amount is < 1 or > MaxAmount)
        {
            throw LedgerException.Invalid(field, $"{field} must be an integer from 1 to {MaxAmount}.");
        }
    }

    public static void RequireNonNegative(long amount, string field)
    {
        if (amount is < 0 or > MaxAmount)
        {
            throw LedgerException.Invalid(field, $"{field} must be an integer from 0 to {MaxAmount}.");
        }
    }
}

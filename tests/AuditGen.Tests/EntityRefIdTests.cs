using System.Globalization;

namespace AuditGen.Tests;

/// <summary>Integer ids are recorded as invariant decimal digits, whatever the thread's culture.</summary>
public sealed class EntityRefIdTests
{
    [Fact]
    public void Integer_ids_are_formatted_invariantly_even_under_a_culture_with_another_minus_sign()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("sv-SE"); // NumberFormat.NegativeSign is U+2212 with ICU
            Assert.Equal(new EntityRef("Order", "-12"), new EntityRef("Order", -12));
            Assert.Equal("Order#9223372036854775807", new EntityRef("Order", long.MaxValue).ToString());
            Assert.Equal("18446744073709551615", new EntityRef("Order", ulong.MaxValue).EntityId);
            Assert.Equal("42", new EntityRef("Order", (byte)42).EntityId);
            Assert.Equal("4294967295", new EntityRef("Order", uint.MaxValue).EntityId); // uint binds to the long overload
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}

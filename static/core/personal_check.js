// Checks of personal data while the clerk types: the same rules as core/personal.py (GB 11643 resident ID with
// its birth date and check digit; mainland mobile, landline with area code, or a service number). The server
// checks again and its answer is the one that counts; these only spare the clerk a round trip.
(function (root) {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK_DIGITS = "10X98765432";
  var MOBILE = /^1[3-9]\d{9}$/;
  var LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
  var SHORT_SERVICE = /^(12378|95\d{3,4}|400-?\d{3}-?\d{4})$/;

  function checkDigit(first17) {
    var total = 0;
    for (var i = 0; i < 17; i += 1) { total += Number(first17.charAt(i)) * WEIGHTS[i]; }
    return CHECK_DIGITS.charAt(total % 11);
  }

  // null when valid, else the name of the failed rule: "id_format", "id_birth" or "id_check".
  // `today` is "YYYY-MM-DD" (the server's date, so that a birth date "in the future" means the same on both sides).
  function residentId(value, today) {
    var id = (value || "").trim().toUpperCase();
    if (!/^\d{17}[\dX]$/.test(id)) { return "id_format"; }
    var year = Number(id.slice(6, 10)), month = Number(id.slice(10, 12)), day = Number(id.slice(12, 14));
    var birth = new Date(Date.UTC(year, month - 1, day));
    if (birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) {
      return "id_birth";
    }
    if (year < 1900 || id.slice(6, 14) > today.replace(/-/g, "")) { return "id_birth"; }
    if (checkDigit(id.slice(0, 17)) !== id.charAt(17)) { return "id_check"; }
    return null;
  }

  function normalisePhone(value) {
    return (value || "").replace(/[\s()（）]/g, "").replace("+86", "");
  }

  // null when valid, else "phone".
  function phone(value) {
    var number = normalisePhone(value);
    return (MOBILE.test(number) || LANDLINE.test(number) || SHORT_SERVICE.test(number)) ? null : "phone";
  }

  // Whether a value still being typed can be judged yet: an ID once it has 18 characters (or a character that can
  // never be right), a phone once it has 11 digits (or a character that can never be right).
  function residentIdReady(value) {
    var id = (value || "").trim();
    return id.length >= 18 || /[^\dXx]/.test(id) || /[Xx]./.test(id);
  }

  function phoneReady(value) {
    var number = normalisePhone(value);
    return number.replace(/-/g, "").length >= 11 || /[^\d-]/.test(number);
  }

  root.PersonalCheck = {
    residentId: residentId,
    residentIdReady: residentIdReady,
    phone: phone,
    phoneReady: phoneReady
  };
})(window);

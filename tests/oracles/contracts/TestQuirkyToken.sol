// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title An ERC-20 with the return-value quirks of real tokens, for tests
/// @notice `transfer` and `transferFrom` answer as the mode says: `Standard` returns true; `NoReturn` returns no
/// data at all, as tokens written before ERC-20 settled on a bool do; `ReturnsFalse` moves nothing and returns false
/// instead of reverting. `mint` and `setMode` are open to anyone. For tests only.
contract TestQuirkyToken {
    enum Mode {
        Standard,
        NoReturn,
        ReturnsFalse
    }

    uint8 public constant decimals = 6;

    Mode public mode;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    // Declared without a return value so each mode can shape the return data itself.
    function transfer(address to, uint256 amount) external {
        if (mode == Mode.ReturnsFalse) _returnBool(false);
        _move(msg.sender, to, amount);
        if (mode == Mode.Standard) _returnBool(true);
    }

    function transferFrom(address from, address to, uint256 amount) external {
        if (mode == Mode.ReturnsFalse) _returnBool(false);
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert InsufficientAllowance(from, msg.sender, allowed, amount);
        allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
        if (mode == Mode.Standard) _returnBool(true);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        unchecked {
            balanceOf[from] = balance - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    /// @dev Ends the whole call with one ABI-encoded bool as its return data.
    function _returnBool(bool value) private pure {
        assembly {
            mstore(0, value)
            return(0, 32)
        }
    }
}
